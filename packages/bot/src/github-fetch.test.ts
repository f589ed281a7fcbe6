import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubFetch } from './github-fetch.js';
import { MemoryWriteLedger } from './write-budget/write-ledger.js';
import { WritePacer } from './write-budget/write-pacer.js';

/** A ledger that remembers which installation each write was counted against. */
class RecordingLedger extends MemoryWriteLedger {
  readonly counted: string[] = [];
  override reserve(...args: Parameters<MemoryWriteLedger['reserve']>): Promise<number> {
    this.counted.push(args[0]);
    return super.reserve(...args);
  }
}

describe('githubFetch paces each write against its installation', () => {
  let url = '';
  let minted = 0;
  const server = createServer((req, res) => {
    req.resume();
    const mint = /\/app\/installations\/(\d+)\/access_tokens$/.exec(req.url ?? '');
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify(mint ? { token: `tok-${mint[1]}-${minted++}` } : { id: 1 }));
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (f: typeof fetch, path: string, token: string): Promise<Response> =>
    f(`${url}${path}`, { method: 'POST', headers: { authorization: `token ${token}` }, body: '{}' });

  it('learns tokens from their minting; a token it did not see minted counts against the only installation', async () => {
    const ledger = new RecordingLedger();
    const f = githubFetch(url, undefined, new WritePacer(ledger, [{ limit: 100, windowMs: 1000 }]));
    const stranger = await post(f, '/repos/acme/a/check-runs', 'never-minted');
    await stranger.text();
    const token = (await (await post(f, '/app/installations/77/access_tokens', 'jwt')).json()) as { token: string };
    for (const t of [token.token, 'minted-elsewhere']) await (await post(f, '/repos/acme/a/check-runs', t)).text();
    // Minting is not a write; before any installation is known a stranger is its own key.
    expect(ledger.counted).toEqual(['token:r-minted', '77', '77']);

    await (await post(f, '/app/installations/78/access_tokens', 'jwt')).text();
    await (await post(f, '/repos/acme/b/check-runs', 'another-stranger')).text();
    // Two installations known: a stranger cannot be placed, so it is its own key.
    expect(ledger.counted.at(-1)).toBe('token:stranger');
  });
});
