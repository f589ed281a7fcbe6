import { createHmac } from 'node:crypto';
import type { Random } from '../helpers/random.js';
import {
  checkRunPayload,
  checkSuitePayload,
  issueCommentPayload,
  pullRequestPayload,
} from '../helpers/fake-github/webhooks.js';
import type { TestRepoRef } from '../helpers/fake-github/webhooks.js';

/** One raw HTTP request the fuzz test sends. */
export interface FuzzRequest {
  kind: 'api' | 'webhook' | 'page';
  method: string;
  /** The request target as sent on the request line (may be malformed on purpose). */
  target: string;
  headers: [string, string][];
  body: Buffer;
}

/** What the generator may use: the app's webhook secret, API tokens by role, the repositories to aim at. */
export interface FuzzTargets {
  secret: string;
  tokens: string[];
  repo: TestRepoRef;
  /** Repository names the API requests use (the state compared before and after is read for each). */
  repos: string[];
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'FOO', 'get'];
const WORDS = ['main', 'pr-1', 'release/1.0', 'users', 'search', 'orders', 'feature/x', 'ACTIVE', 'READY'];
const ODD = [
  '',
  '%',
  '%E0%A4%A',
  '%ZZ',
  '..',
  '../..',
  '%2e%2e%2f',
  '%00',
  '\u0000',
  '😀',
  '@everyone',
  '![x](http://evil.test/x.png)',
  '<script>alert(1)</script>',
  "'; DROP TABLE aegis_audit; --",
  '-' + '-upload-pack=touch /tmp/pwned',
  '+refs/heads/evil:refs/heads/main',
  'a'.repeat(300),
];
const API_PATHS = [
  'branch-locks/status/{b}',
  'branch-locks/locks',
  'branch-locks/dashboard',
  'branch-locks/force-unlock/{b}',
  'branch-locks/indexing/{b}/start',
  'branch-locks/indexing/{b}/complete',
  'branch-locks/indexing/{b}/fail',
  'branch-locks/indexing/{b}/heartbeat',
  'branch-locks/set-state/{b}',
  'branch-locks/check/{b}',
  'shadow-index/start',
  'shadow-index/{b}/progress',
  'shadow-index/{b}/complete',
  'shadow-index/{b}/fail',
  'shadow-index/{b}/switch',
  'shadow-index/{b}/cancel',
  'shadow-index/{b}/status',
  'events',
  'whoami',
  'registry',
  'audit',
  'openapi.json',
  '{b}',
  '{b}/{b}/{b}',
];
const KEYS = [
  'reason',
  'branch',
  'repo',
  'index_type',
  'indexType',
  'commit',
  'head_sha',
  'indexing_id',
  'fencing_token',
  'state',
  'status',
  'progress',
  'percent',
  'ttl_seconds',
  'force',
  'type',
  'data',
  'specversion',
  'id',
  'source',
  'error',
];
const QUERY_KEYS = ['repo', 'since', 'limit', 'cursor', 'resources', 'ref', 'branch', 'action', 'issue', 'refresh'];
const EVENTS = [
  'pull_request',
  'issue_comment',
  'check_run',
  'check_suite',
  'repository_dispatch',
  'push',
  'delete',
  'ping',
  'installation',
  'issues',
  'x-unknown',
];
const COMMANDS = [
  '/lock users',
  '/lock schema:users for @acme/platform see ![img](http://evil.test/i.png)',
  '/unlock',
  '/force-unlock main because @everyone [click](http://evil.test)',
  '/status',
  '/help',
  '/merge',
  '/lock',
  '```\n/force-unlock main runbook\n```',
];

function text(r: Random): string {
  if (r.chance(0.5)) return r.pick(WORDS);
  if (r.chance(0.6)) return r.pick(ODD);
  return Array.from({ length: r.int(0, 20) }, () => String.fromCodePoint(r.int(0, 0x2fff))).join('');
}

/** A random JSON value, nested at most `depth` deep. */
export function randomJson(r: Random, depth = 3): unknown {
  const kind = r.int(0, depth > 0 ? 7 : 4);
  if (kind === 0) return null;
  if (kind === 1) return r.chance(0.5);
  if (kind === 2) return r.pick([0, -1, 1e308, -0.5, 2 ** 53 + 1, 42, Number.MAX_SAFE_INTEGER]);
  if (kind === 3 || kind === 4) return text(r);
  if (kind === 5) return Array.from({ length: r.int(0, 4) }, () => randomJson(r, depth - 1));
  const obj: Record<string, unknown> = {};
  for (let i = r.int(0, 5); i > 0; i--) obj[r.chance(0.8) ? r.pick(KEYS) : text(r)] = randomJson(r, depth - 1);
  return obj;
}

function segment(r: Random): string {
  const raw = text(r);
  // Raw, less what would end the request line (spaces and control characters).
  return r.chance(0.7) ? encodeURIComponent(raw) : [...raw].filter((c) => c > ' ' && c !== '\u007f').join('');
}

function query(r: Random, repos: string[]): string {
  if (r.chance(0.4)) return '';
  const pairs = Array.from({ length: r.int(1, 3) }, () => {
    const key = r.pick(QUERY_KEYS);
    const value = key === 'repo' ? r.pick(repos) : r.chance(0.5) ? r.pick(['1', '0', 'not-a-date', '-5']) : text(r);
    return `${key}=${encodeURIComponent(value)}`;
  });
  return `?${pairs.join('&')}`;
}

function apiBody(r: Random, repos: string[]): Buffer {
  if (r.chance(0.1)) return Buffer.from(r.pick(['{', '[1,', 'null', '"x"', '{"reason":', '\u0000\u00ff']));
  if (r.chance(0.1)) return Buffer.from(JSON.stringify(randomJson(r)));
  const body = (randomJson(r, 2) ?? {}) as Record<string, unknown>;
  if (typeof body === 'object' && !Array.isArray(body) && r.chance(0.5)) body['repo'] = r.pick(repos);
  return Buffer.from(JSON.stringify(body));
}

function apiRequest(r: Random, t: FuzzTargets): FuzzRequest {
  const path = r.pick(API_PATHS).replace(/\{b\}/g, () => segment(r));
  const post = r.chance(0.6);
  const method = r.chance(0.85) ? (post ? 'POST' : 'GET') : r.pick(METHODS);
  const headers: [string, string][] = [];
  const auth = r.int(0, 9);
  if (auth >= 4) headers.push(['authorization', `Bearer ${r.pick(t.tokens)}`]);
  else if (auth >= 2) headers.push(['authorization', r.pick(['Bearer ', 'Basic YTpi', `Bearer ${text(r)}`, 'bearer'])]);
  const body = method === 'GET' || method === 'HEAD' ? Buffer.alloc(0) : apiBody(r, t.repos);
  if (body.length > 0) headers.push(['content-type', r.chance(0.8) ? 'application/json' : 'text/plain']);
  if (r.chance(0.1)) headers.push(['x-request-id', text(r).replace(/[^\x20-\x7e]/g, '')]);
  if (r.chance(0.05)) headers.push(['if-none-match', '"x"']);
  return { kind: 'api', method, target: `/aegis/api/v1/${path}${query(r, t.repos)}`, headers, body };
}

/** A plausible payload for `event`, aimed at the test repository, before mutation. */
function basePayload(r: Random, event: string, repo: TestRepoRef): Record<string, unknown> {
  const sha = r.chance(0.5) ? 'a'.repeat(40) : text(r);
  const pull = {
    number: r.int(1, 5),
    headSha: sha,
    headRef: r.pick(WORDS),
    baseRef: 'main',
    body: text(r),
    author: r.pick(['alice', 'mallory', 'root', 'ghost']),
  };
  switch (event) {
    case 'pull_request':
      return pullRequestPayload(r.pick(['opened', 'synchronize', 'closed', 'edited', 'labeled']), pull, repo);
    case 'issue_comment': {
      const body = r.chance(0.7) ? r.pick(COMMANDS) : text(r);
      const comment = { id: r.int(1, 1e6), body, author: pull.author, issueNumber: pull.number };
      return issueCommentPayload(r.pick(['created', 'edited', 'deleted'] as const), comment, repo);
    }
    case 'check_run':
      return checkRunPayload(r.pick(['aegis/validate', 'aegis/freeze', 'other']), sha, [pull.number], repo);
    case 'check_suite':
      return checkSuitePayload(r.pick(['requested', 'rerequested']), sha, [pull.number], repo);
    default: {
      const payload = issueCommentPayload('created', { id: 1, body: '', author: 'x', issueNumber: 1 }, repo);
      delete payload['comment'];
      delete payload['issue'];
      if (event === 'repository_dispatch') {
        payload['action'] = r.pick(['aegis.indexing.started', 'aegis.shadow.start', 'aegis.unknown', text(r)]);
        payload['client_payload'] = randomJson(r);
      } else if (event === 'push' || event === 'delete') {
        Object.assign(payload, { ref: `refs/heads/${text(r)}`, ref_type: 'branch', deleted: r.chance(0.5) });
      }
      return payload;
    }
  }
}

/** Deletes or replaces a random field somewhere in `value` (in place). */
function mutate(r: Random, value: unknown): void {
  let node = value as Record<string, unknown>;
  for (let depth = 0; depth < 4; depth++) {
    const keys = Object.keys(node);
    if (keys.length === 0) return;
    const key = r.pick(keys);
    const child = node[key];
    if (child && typeof child === 'object' && r.chance(0.6)) {
      node = child as Record<string, unknown>;
      continue;
    }
    if (r.chance(0.4)) delete node[key];
    else node[key] = randomJson(r, 2);
    return;
  }
}

function webhookRequest(r: Random, t: FuzzTargets): FuzzRequest {
  const event = r.pick(EVENTS);
  let payload: unknown = basePayload(r, event, t.repo);
  for (let i = r.int(0, 3); i > 0; i--) mutate(r, payload);
  if (r.chance(0.1)) payload = randomJson(r);
  const body = Buffer.from(r.chance(0.05) ? '{"action": ' : JSON.stringify(payload));
  const signed = r.int(0, 9);
  const headers: [string, string][] = [['content-type', r.chance(0.9) ? 'application/json' : 'text/plain']];
  if (r.chance(0.95)) headers.push(['x-github-event', event]);
  if (r.chance(0.95)) headers.push(['x-github-delivery', r.chance(0.8) ? crypto.randomUUID() : text(r)]);
  const sign = (secret: string, bytes: Buffer): string =>
    `sha256=${createHmac('sha256', secret).update(bytes).digest('hex')}`;
  if (signed < 7) headers.push(['x-hub-signature-256', sign(t.secret, body)]);
  else if (signed === 7) headers.push(['x-hub-signature-256', sign('not-the-secret', body)]);
  else if (signed === 8) headers.push(['x-hub-signature-256', r.pick(['sha256=', 'sha1=00', 'garbage'])]);
  const path = r.chance(0.95) ? '/api/github/webhooks' : r.pick(['/api/github/webhooks/', '/api/github/webhooks?x=1']);
  return { kind: 'webhook', method: r.chance(0.95) ? 'POST' : r.pick(METHODS), target: path, headers, body };
}

function pageRequest(r: Random, t: FuzzTargets): FuzzRequest {
  const path = r.pick([
    '/healthz',
    '/metrics',
    '/aegis/dashboard',
    '/aegis/dashboard/',
    '/aegis/',
    '/aegis/api/v1',
    '/',
    '/favicon.ico',
    `/${segment(r)}`,
    `/aegis/${segment(r)}`,
    '//aegis/dashboard',
    '/%',
  ]);
  const headers: [string, string][] = r.chance(0.3) ? [['authorization', `Bearer ${r.pick(t.tokens)}`]] : [];
  const method = r.chance(0.8) ? 'GET' : r.pick(METHODS);
  return { kind: 'page', method, target: `${path}${query(r, t.repos)}`, headers, body: Buffer.alloc(0) };
}

/** The next request of a seeded run: API calls, webhook deliveries and pages, in about 45/35/20 parts. */
export function fuzzRequest(r: Random, t: FuzzTargets): FuzzRequest {
  const roll = r.next();
  if (roll < 0.45) return apiRequest(r, t);
  if (roll < 0.8) return webhookRequest(r, t);
  return pageRequest(r, t);
}
