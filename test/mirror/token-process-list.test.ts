import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RepoMirror } from '@aegis/bot';
import { serveGitHttp } from '../helpers/fake-github/git-http-backend.js';
import { createGitRepo } from '../helpers/git-repo.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { tempDir } from '../helpers/temp-dir.js';

const run = promisify(execFile);
const TOKEN = `ghs_${'processlist'.repeat(3)}`;
const BASIC = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');

/**
 * Issue #19: the installation token stays out of the process list. While a fetch is held open by the server,
 * `ps` lists every process of the machine with its whole command line — the mirror's `git fetch` and the
 * `git remote-http` helper git starts for it — and none may carry the token or the header made from it.
 */
describe('the installation token is not in the process list while a mirror fetches', () => {
  let repo: GitRepo;
  let mirrors: { dir: string; cleanup: () => Promise<void> };
  let url = '';
  const seen: string[] = [];
  let arrived!: () => void;
  const held = new Promise<void>((resolve) => (arrived = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  // Serves the repository to a client with the token only (as GitHub does), holding the first request open.
  const server = createServer((req, res) => {
    seen.push(req.headers.authorization ?? '');
    if (req.headers.authorization !== `Basic ${BASIC}`) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="GitHub"' }).end();
      return;
    }
    const where = new URL(req.url ?? '/', 'http://x');
    const rest = where.pathname.replace(/^\/acme\/held\.git/, '');
    const serve = () => serveGitHttp(req, res, path.join(repo.dir, '.git'), rest, where.search.slice(1));
    if (seen.length > 1) return serve();
    arrived();
    void released.then(serve);
  });
  beforeAll(async () => {
    repo = await createGitRepo({ files: { '.kiro/schemas/users.yaml': 'name: users\n' } });
    mirrors = await tempDir();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/{owner}/{repo}.git`;
  });
  afterAll(async () => {
    release();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await repo.cleanup();
    await mirrors.cleanup();
  });

  it('ps shows the fetch and its HTTP helper, never the token or its header', async () => {
    const mirror = new RepoMirror({ dir: mirrors.dir, urlTemplate: url });
    const synced = mirror.sync('acme/held', TOKEN, { branches: ['main'] });
    await held;
    const ps = (await run('ps', ['-eo', 'pid,args', '-ww'], { maxBuffer: 16 * 1024 * 1024 })).stdout;
    release();
    const dir = await synced;
    const lines = ps.split('\n');
    // The snapshot was taken while this mirror's fetch ran: it lists the fetch and the helper talking to the server.
    const host = url.slice(0, url.indexOf('/{owner}'));
    expect(lines.some((line) => /\bgit fetch\b.*--filter=blob:none/.test(line))).toBe(true);
    expect(lines.some((line) => line.includes('remote-http') && line.includes(host))).toBe(true);
    // Only offending lines are shown on failure, not the machine's whole process list.
    const leaks = lines.filter((l) => l.includes(TOKEN) || l.includes(BASIC) || /extraHeader|Authorization/i.test(l));
    expect(leaks).toEqual([]);
    // The token did reach the server (it refuses anything else), and the fetch brought the registry.
    expect(seen.every((auth) => auth === `Basic ${BASIC}`)).toBe(true);
    expect((await run('git', ['show', 'refs/heads/main:.kiro/schemas/users.yaml'], { cwd: dir })).stdout).toBe(
      'name: users\n',
    );
  });
});
