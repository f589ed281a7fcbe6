import { hashApiToken } from '@aegis/bot';
import { Harness, REPO } from '../bot/harness.js';

/** Bearer tokens the tests use, by role; the bot is configured with their SHA-256 only. */
export const TOKENS = {
  indexer: 'tok-funnel-0123456789',
  admin: 'tok-admin-0123456789',
  viewer: 'tok-viewer-0123456789',
} as const;

/** `AEGIS_API_TOKENS` for the tokens above (hashed at rest). */
export function apiTokensEnv(): string {
  return JSON.stringify([
    { name: 'funnel-service', roles: ['indexer'], sha256: hashApiToken(TOKENS.indexer) },
    { name: 'ops-admin', roles: ['admin'], sha256: hashApiToken(TOKENS.admin) },
    { name: 'grafana', roles: ['viewer'], sha256: hashApiToken(TOKENS.viewer) },
  ]);
}

/** The environment the API tests add to the bot's. */
export function apiEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { AEGIS_API_TOKENS: apiTokensEnv(), AEGIS_DEFAULT_REPO: REPO.fullName, ...extra };
}

/** An API answer: status, headers and the parsed JSON body. */
export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { [key: string]: unknown };
}

/** Calls `/aegis/api/v1/<path>` on a running bot over real HTTP. */
export async function callApi(
  baseUrl: string,
  token: string | undefined,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiAnswer> {
  const res = await fetch(`${baseUrl}/aegis/api/v1/${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as ApiAnswer['body']) : {} };
}

/** Starts the bot harness with API tokens configured. */
export async function startApiHarness(extra: NodeJS.ProcessEnv = {}): Promise<Harness> {
  return Harness.start(apiEnv(extra));
}

/** A schema edit that passes every check (minor version bump, new nullable column). */
export function addColumn(text: string, column: string, version = '1.1.0'): string {
  return text
    .replace('version: 1.0.0', `version: ${version}`)
    .replace('columns:\n', `columns:\n  - name: ${column}\n    type: VARCHAR(50)\n    nullable: true\n\n`);
}

/**
 * What the auto-merge suites look at, over a harness started in `beforeAll`: the API as a token, the app's
 * comments on an issue, a schema on main, and main's active search index.
 */
export function harnessViews(harness: () => Harness) {
  return {
    api: (token: string, method: 'GET' | 'POST', path: string, body?: unknown) =>
      callApi(harness().bot.url, token, method, path, body),
    bodies: (issue: number) =>
      harness()
        .fake.state.comments.filter((c) => c.issue === issue && c.user.endsWith('[bot]'))
        .map((c) => c.body),
    schema: (name: string) => harness().repo.git('show', `main:.kiro/schemas/${name}.yaml`),
    pointer: async () =>
      (await harness().bot.bot.freeze.shadow.pointer({ repo: REPO.fullName, branch: 'main' }, 'search')).active,
  };
}
