import { createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { FakeGitHubState } from './fake-github-state.js';
import type { RecordedCall } from './fake-github-state.js';
import { serveGitHttp } from './git-http-backend.js';
import { ROUTES } from './routes.js';

export type { RecordedCall, FakeCheckRun, FakeComment, FakeAnnotation } from './fake-github-state.js';

/** A GitHub App identity for tests: the key the app signs its JWTs with, checked by the fake. */
export interface TestAppCredentials {
  appId: number;
  privateKey: string;
  publicKey: string;
}

/** Generates a fresh RSA key pair for a test app. */
export function testAppCredentials(appId = 4242): TestAppCredentials {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    appId,
    privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function verifyAppJwt(token: string, app: TestAppCredentials): boolean {
  const [h, p, s] = token.split('.');
  if (!h || !p || !s) return false;
  try {
    const ok = createVerify('RSA-SHA256').update(`${h}.${p}`).verify(app.publicKey, Buffer.from(s, 'base64url'));
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as { iss?: unknown };
    return ok && String(claims.iss) === String(app.appId);
  } catch {
    return false;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A local HTTP fake of the slice of GitHub's REST API the Aegis app uses, plus git smart HTTP for the
 * mirror, backed by real repositories. Every call is recorded; a call to an endpoint it does not know, or
 * with credentials it did not issue, is answered 404/401 and listed in `unexpected()` so the test fails.
 */
export class FakeGitHub {
  readonly state = new FakeGitHubState();
  readonly calls: RecordedCall[] = [];
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly app: TestAppCredentials,
  ) {}

  /** Starts the fake on a free loopback port. */
  static async start(app: TestAppCredentials): Promise<FakeGitHub> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const fake = new FakeGitHub(server, `http://127.0.0.1:${port}`, app);
    server.on('request', (req, res) => void fake.handle(req, res));
    return fake;
  }

  /** The mirror URL template the app is given (`{owner}`/`{repo}` placeholders). */
  get gitUrlTemplate(): string {
    return `${this.url}/git/{owner}/{repo}.git`;
  }

  /** Serves a real repository as `owner/name` (a working tree or a bare repository). */
  addRepo(fullName: string, dir: string, defaultBranch = 'main'): void {
    const gitDir = dir.endsWith('.git') ? dir : path.join(dir, '.git');
    this.state.repos.set(fullName, { gitDir, defaultBranch });
  }

  /** REST calls (git transport excluded) matching `method path` regex. */
  apiCalls(filter?: RegExp): RecordedCall[] {
    return this.calls.filter((c) => !c.path.startsWith('/git/') && (!filter || filter.test(`${c.method} ${c.path}`)));
  }

  /** Calls that the real GitHub would not have answered as the app expects. */
  unexpected(): RecordedCall[] {
    return this.calls.filter((c) => !c.expected);
  }

  /** Resolves when `predicate` holds (checked after every call), rejects after `timeoutMs`. */
  async waitFor(predicate: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
    if (predicate()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`fake GitHub: timed out waiting for ${what}`));
      }, timeoutMs);
      const check = (): void => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve();
      };
      this.waiters.push(check);
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private record(call: RecordedCall): void {
    this.calls.push(call);
    for (const w of [...this.waiters]) w();
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(body === undefined ? '' : JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const pathname = url.pathname.replace(/^\/api\/v3(?=\/)/, '');
    const method = req.method ?? 'GET';
    const base = { method, path: pathname, query: url.searchParams };
    if (pathname.startsWith('/git/')) return this.handleGit(req, res, pathname, url.search.slice(1));
    const text = await readBody(req);
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    const auth = req.headers.authorization ?? '';
    const fail = (status: number, problem: string): void => {
      this.send(res, status, { message: problem });
      this.record({ ...base, body, status, expected: false, problem });
    };
    const tokenRoute = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(pathname);
    if (tokenRoute && method === 'POST') {
      if (!verifyAppJwt(auth.replace(/^bearer /i, ''), this.app)) return fail(401, 'bad app JWT');
      const token = `ghs_${randomBytes(12).toString('hex')}`;
      this.state.tokens.add(token);
      const expiresAt = new Date(Date.now() + 3600_000).toISOString();
      this.send(res, 201, { token, expires_at: expiresAt, permissions: {}, repository_selection: 'all' });
      return this.record({ ...base, body, status: 201, expected: true });
    }
    const installationRoute = /^\/repos\/([^/]+)\/([^/]+)\/installation$/.exec(pathname);
    if (installationRoute && method === 'GET') {
      if (!verifyAppJwt(auth.replace(/^bearer /i, ''), this.app)) return fail(401, 'bad app JWT');
      const known = this.state.repos.has(`${installationRoute[1]}/${installationRoute[2]}`);
      this.send(res, known ? 200 : 404, known ? { id: 77, app_id: this.app.appId } : { message: 'Not Found' });
      return this.record({ ...base, body, status: known ? 200 : 404, expected: true });
    }
    if (!this.state.tokens.has(auth.replace(/^(token|bearer) /i, ''))) return fail(401, 'not an installation token');
    const route = ROUTES.find((r) => r.method === method && r.pattern.test(pathname));
    if (!route) return fail(404, `unexpected endpoint ${method} ${pathname}`);
    const params = (route.pattern.exec(pathname) ?? []).slice(1).map((p) => decodeURIComponent(p));
    const answer = route.handle(this.state, { params, query: url.searchParams, body });
    this.send(res, answer.status, answer.body);
    this.record({ ...base, body, status: answer.status, expected: true });
  }

  private handleGit(req: IncomingMessage, res: ServerResponse, pathname: string, query: string): void {
    const m = /^\/git\/([^/]+)\/([^/]+?)\.git(\/.*)$/.exec(pathname);
    const repo = m ? this.state.repos.get(`${m[1]}/${m[2]}`) : undefined;
    const auth = req.headers.authorization ?? '';
    const [user, token] = Buffer.from(auth.replace(/^basic /i, ''), 'base64')
      .toString()
      .split(':');
    const base = { method: req.method ?? 'GET', path: pathname, query: new URLSearchParams(query), body: null };
    if (!m || !repo) {
      this.send(res, 404, { message: 'no such repository' });
      return this.record({ ...base, status: 404, expected: false, problem: 'unknown repository' });
    }
    if (user !== 'x-access-token' || !token || !this.state.tokens.has(token)) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="GitHub"' });
      res.end();
      return this.record({ ...base, status: 401, expected: false, problem: 'git without an installation token' });
    }
    res.on('finish', () => this.record({ ...base, status: res.statusCode, expected: true }));
    serveGitHttp(req, res, repo.gitDir, m[3] ?? '/', query);
  }
}
