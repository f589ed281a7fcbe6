import { createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { FakeGitHubState } from './fake-github-state.js';
import type { RecordedCall } from './fake-github-state.js';
import { serveGitHttp } from './git-http-backend.js';
import { FaultPlan } from './fault-plan.js';
import { GitHubContract } from './github-contract.js';
import { FakeWriteLimit } from './write-limit.js';
import { ROUTES } from './routes.js';
import type { Route, RouteAnswer } from './routes.js';

export type { RecordedCall, FakeCheckRun, FakeComment, FakeAnnotation } from './fake-github-state.js';
export { mergeWorld } from './merge-routes.js';

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

/** Headers every REST answer of GitHub carries. */
function commonHeaders(): Record<string, string> {
  return {
    'content-type': 'application/json; charset=utf-8',
    'x-github-api-version-selected': '2022-11-28',
    'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-used': '1',
    'x-ratelimit-resource': 'core',
    'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3600),
  };
}

/**
 * A local HTTP fake of the slice of GitHub's REST API the Aegis app uses, plus git smart HTTP for the
 * mirror, backed by real repositories. Every call is recorded and held to GitHub's published REST description
 * (`GitHubContract`): a route GitHub does not have, a request it would refuse (422), an answer of the fake that
 * is off the description, or credentials it did not issue are listed in `unexpected()` so the test fails.
 * Hostile behaviours (rate limits, missing issues, pending mergeability, …) are off until a test arms them.
 */
export class FakeGitHub {
  readonly state = new FakeGitHubState();
  readonly calls: RecordedCall[] = [];
  /** Rate limits and other injected answers a test arms. */
  readonly faults = new FaultPlan();
  /** GitHub's secondary limit on content creation per installation (off until a test sets its windows). */
  readonly writeLimit = new FakeWriteLimit();
  private readonly contract = GitHubContract.get();
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly app: TestAppCredentials,
  ) {
    this.state.appId = app.appId;
  }

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
    const mergeMethods = new Set(['merge', 'squash', 'rebase'] as const);
    this.state.repos.set(fullName, { gitDir, defaultBranch, mergeMethods, issuesDisabled: false });
  }

  /** REST calls (git transport excluded) matching `method path` regex. */
  apiCalls(filter?: RegExp): RecordedCall[] {
    return this.calls.filter((c) => !c.path.startsWith('/git/') && (!filter || filter.test(`${c.method} ${c.path}`)));
  }

  /** Calls that the real GitHub would not have answered as the app expects, or that the fake answered off-spec. */
  unexpected(): RecordedCall[] {
    return this.calls.filter((c) => !c.expected);
  }

  /**
   * Calls off GitHub's published contract: a route it does not have, a request it would refuse, an answer of
   * the fake that does not fit the description. Always a failure, whatever else a test expects.
   */
  contractViolations(): RecordedCall[] {
    return this.calls.filter((c) => c.offContract === true);
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

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const pathname = url.pathname.replace(/^\/api\/v3(?=\/)/, '');
    const method = req.method ?? 'GET';
    if (pathname.startsWith('/git/')) return this.handleGit(req, res, pathname, url.search.slice(1));
    const text = await readBody(req);
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    const { answer, problem, offContract } = this.answer(req, url, pathname, text ? body : undefined);
    const offSpec = answer.status < 400 ? this.offSpec(method, pathname, answer) : [];
    const problems = [problem, ...offSpec.map((p) => `the fake answered off GitHub's description: ${p}`)];
    const found = problems.filter((p): p is string => p !== undefined).join('; ');
    res.writeHead(answer.status, { ...commonHeaders(), ...answer.headers });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    const call = { method, path: pathname, query: url.searchParams, body, status: answer.status };
    const contract = offContract === true || offSpec.length > 0;
    this.record({
      ...call,
      expected: !found,
      ...(found ? { problem: found } : {}),
      ...(contract ? { offContract: true } : {}),
    });
  }

  /** GitHub's answer to one REST request, and what makes the request one the app should not have sent. */
  private answer(
    req: IncomingMessage,
    url: URL,
    pathname: string,
    body: Record<string, unknown> | undefined,
  ): { answer: RouteAnswer; problem?: string; offContract?: boolean } {
    const method = req.method ?? 'GET';
    const route = ROUTES.find((r) => r.method === method && r.pattern.test(pathname));
    const problems = this.contract.checkRequest(method, pathname, url.searchParams, body);
    if (!route) {
      const why = problems.join('; ') || 'the fake does not serve it';
      return {
        answer: { status: 404, body: { message: 'Not Found' } },
        problem: `unexpected endpoint ${method} ${pathname}: ${why}`,
        offContract: problems.length > 0,
      };
    }
    const refused = this.authenticate(route, req.headers.authorization ?? '');
    if (refused) return { answer: { status: 401, body: { message: 'Bad credentials' } }, problem: refused };
    const injected = this.faults.take(method, pathname);
    if (injected) return { answer: injected };
    const token = (req.headers.authorization ?? '').replace(/^(token|bearer) /i, '');
    const limited = route.auth === 'app' ? undefined : this.writeLimit.take(method, this.state.installationOf(token));
    if (limited)
      return { answer: limited, problem: `${method} ${pathname} past the secondary limit on content creation` };
    if (problems.length > 0) {
      return {
        answer: { status: 422, body: { message: `Invalid request.\n\n${problems.join('\n')}` } },
        problem: problems.join('; '),
        offContract: true,
      };
    }
    // Parameters arrive decoded once, as GitHub routes them; a malformed escape names nothing GitHub has.
    const params = (route.pattern.exec(pathname) ?? []).slice(1).map(decodedSegment);
    if (params.includes(undefined)) return { answer: { status: 404, body: { message: 'Not Found' } } };
    try {
      const input = { params: params as string[], query: url.searchParams, body: body ?? {}, pageUrl: url.href };
      return { answer: route.handle(this.state, input) };
    } catch (error) {
      // A state the fake cannot answer from is a defect of the test's set-up: GitHub's 500, recorded as one.
      return {
        answer: { status: 500, body: { message: 'Server Error' } },
        problem: `the fake could not answer ${method} ${pathname}: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }

  private offSpec(method: string, pathname: string, answer: RouteAnswer): string[] {
    try {
      return this.contract.checkResponse(method, pathname, answer.status, answer.body);
    } catch (error) {
      return [`its schema could not be compiled: ${String(error)}`];
    }
  }

  /** Why the credentials do not fit the route (an app JWT, or a live installation token), or undefined. */
  private authenticate(route: Route, auth: string): string | undefined {
    if (route.auth === 'app') return verifyAppJwt(auth.replace(/^bearer /i, ''), this.app) ? undefined : 'bad app JWT';
    const token = auth.replace(/^(token|bearer) /i, '');
    if (this.state.validToken(token)) return undefined;
    return this.state.tokens.has(token) ? 'expired installation token' : 'not an installation token';
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
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Repository not found.');
      return this.record({ ...base, status: 404, expected: false, problem: 'unknown repository' });
    }
    if (user !== 'x-access-token' || !token || !this.state.validToken(token)) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="GitHub"' });
      res.end();
      return this.record({ ...base, status: 401, expected: false, problem: 'git without an installation token' });
    }
    const injected = this.faults.take(base.method, pathname);
    if (injected) {
      res.writeHead(injected.status, { 'content-type': 'text/plain', ...injected.headers });
      res.end(typeof injected.body === 'string' ? injected.body : JSON.stringify(injected.body));
      return this.record({ ...base, status: injected.status, expected: true });
    }
    res.on('finish', () => this.record({ ...base, status: res.statusCode, expected: true }));
    serveGitHttp(req, res, repo.gitDir, m[3] ?? '/', query);
  }
}

function decodedSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
