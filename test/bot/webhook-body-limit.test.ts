import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver } from '../helpers/fake-github/webhooks.js';
import { spawnBot, type SpawnedBot } from '../helpers/spawn-bot.js';
import { Harness, SECRET } from './harness.js';

/** Sends only a webhook POST's head (no body) and resolves with the answer's status line. */
function postHead(url: string, headers: Record<string, string>): Promise<string> {
  const { hostname, port } = new URL(url);
  const head = Object.entries({ host: hostname, 'x-github-event': 'ping', ...headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () =>
      socket.write(`POST /api/github/webhooks HTTP/1.1\r\n${head}\r\n`),
    );
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      answer += chunk;
      if (answer.includes('\r\n')) socket.destroy();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''));
  });
}

describe("webhook bodies over GitHub's 25 MB cap (spawned aegis bot, raw HTTP)", () => {
  let h: Harness;
  let bot: SpawnedBot;
  beforeAll(async () => {
    h = await Harness.start();
    bot = await spawnBot(h.replicaEnv('body-limit'));
  });
  afterAll(async () => {
    await bot?.stop();
    await h?.close();
  });

  it('are refused from their headers alone, before a byte of the body is read', async () => {
    // Without the limit the app waits for the 200 MB it was promised, and would buffer them whole.
    expect(await postHead(bot.url, { 'content-length': String(200 * 1024 * 1024) })).toBe(
      'HTTP/1.1 413 Payload Too Large',
    );
    expect(await postHead(bot.url, { 'content-length': String(25 * 1024 * 1024 + 1) })).toMatch(/^HTTP\/1\.1 413 /);
    expect(await postHead(bot.url, { 'transfer-encoding': 'chunked' })).toBe('HTTP/1.1 411 Length Required');
    const ping = await deliver(
      `${bot.url}/api/github/webhooks`,
      'ping',
      { zen: 'Keep it logically awesome.' },
      {
        secret: SECRET,
      },
    );
    expect(ping.status).toBe(200);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    expect(bot.child.exitCode).toBeNull();
  });
});
