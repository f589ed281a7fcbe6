import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { botEventsConfigFromEnv, eventBranchesFromEnv, type BotEventsConfig } from '@aegis/events';
import { storeConfigFromEnv, type StoreConfig } from '@aegis/freeze';
import type { createProbot } from 'probot';
import { ApiTokens } from './api/api-tokens.js';
import type { TokenSource } from './api/api-tokens.js';
import type { BotConfig, MergeMethod } from './bot-context.js';
import { ConfigError } from './errors.js';
import { DEFAULT_BUS_IDENTITY } from './events/bus-identity.js';
import type { BusIdentity } from './events/bus-identity.js';
import { mirrorLimits } from './mirror/mirror-limits.js';
import type { RepoMirrorOptions } from './mirror/repo-mirror.js';
import { GITHUB_WRITE_BUDGET, parseWriteBudget } from './write-budget/write-budget.js';
import type { WriteWindow } from './write-budget/write-budget.js';

/** The variables Probot reads itself (its own parsing of `PRIVATE_KEY`, its logger): passed to `createProbot`. */
const PROBOT_VARIABLES = [
  'APP_ID',
  'PRIVATE_KEY',
  'WEBHOOK_SECRET',
  'WEBHOOK_PATH',
  'GHE_HOST',
  'GHE_PROTOCOL',
  'LOG_FORMAT',
  'LOG_LEVEL',
  'LOG_LEVEL_IN_STRING',
  'LOG_MESSAGE_KEY',
  'SENTRY_DSN',
] as const;

/** Probot's own variables, as `createProbot({ env })` takes them. */
export type ProbotEnv = NonNullable<NonNullable<Parameters<typeof createProbot>[0]>['env']>;

/** Everything `aegis bot` is configured with: the environment read once, by `readBotOptions`. */
export interface BotOptions {
  /** `HOST` (default 127.0.0.1) and `PORT` (default 3000; 0 picks a free port). */
  host: string;
  port: number;
  /** `WEBHOOK_PATH` (default `/api/github/webhooks`). */
  webhookPath: string;
  /** GitHub's REST API: `https://api.github.com`, or `GHE_PROTOCOL://GHE_HOST/api/v3` for GitHub Enterprise. */
  githubApiUrl: string;
  /** Whether Octokit paces writes and waits out rate limits (`AEGIS_GITHUB_THROTTLE=off` for local fakes). */
  githubThrottle: boolean;
  /**
   * `AEGIS_WRITE_BUDGET`: each installation's content-creating requests, per window (default GitHub's secondary
   * limits, `1/1s,80/1m,500/1h`; none when `off`, or when `AEGIS_GITHUB_THROTTLE=off` and it is unset).
   */
  writeBudget: WriteWindow[];
  /** What Probot reads itself (app id, key, secret, log settings); `REDIS_URL` is ours and cleared for it. */
  probotEnv: ProbotEnv;
  /** `AEGIS_DATA_DIR` resolved (default `.aegis`): the embedded store, and the events outbox beside it. */
  dataDir: string;
  /** The freeze stores: PGlite at `dataDir`, or `DATABASE_URL` / `REDIS_URL` (`AEGIS_REDIS_PREFIX`). */
  stores: StoreConfig & { dataDir: string };
  /** `AEGIS_READY_TIMEOUT_SECONDS`: READY returns to ACTIVE after it (unset: the freeze default, 24 h). */
  readyTimeoutMs?: number;
  /** `AEGIS_MIRROR_DIR` (default `<dataDir>-mirrors`), `AEGIS_GIT_URL`, `AEGIS_MIRROR_CONCURRENCY`, `AEGIS_MIRROR_BUDGET_MB`. */
  mirror: Pick<RepoMirrorOptions, 'dir' | 'urlTemplate' | 'concurrency' | 'diskBudgetBytes'>;
  /** The app's settings: `AEGIS_ISSUE_PATTERN`, `AEGIS_BOT_LOGIN`, `AEGIS_VERIFY_DATABASE_URL`, `APP_ID`, `AEGIS_MERGE_METHOD`. */
  app: Partial<BotConfig>;
  /** The HTTP API: tokens (`AEGIS_API_TOKENS`, `AEGIS_API_TOKENS_FILE`), `AEGIS_DEFAULT_REPO`, `AEGIS_SHADOW_AUTO_SWITCH=on`. */
  api: { tokens: ApiTokens; defaultRepo: string | undefined; autoSwitch: boolean };
  /** NATS (`NATS_URL`, `AEGIS_EVENTS_*`): undefined without `NATS_URL`. */
  events: BotEventsConfig | undefined;
  /**
   * Who inbound bus events act as: `AEGIS_EVENTS_IDENTITY` (default `event-bus`) holding `AEGIS_EVENTS_ROLES`
   * (comma-separated, default `indexer`), whose permissions come from the repository's `.kiro/rbac.yaml`.
   */
  busIdentity: BusIdentity;
  /** `AEGIS_EVENTS_BRANCHES`: protected-branch patterns whose pushes publish `schema.changed`. */
  eventBranches: string[];
  /** `AEGIS_LOCK_SWEEP_MS` (default 30 s): how often lock changes made elsewhere are looked for. */
  lockSweepMs: number;
  /**
   * `/metrics`: `AEGIS_METRICS_TOKEN` (scrapes need it as a bearer token) and `AEGIS_METRICS_LISTEN`
   * (`host:port`: served there only, not on the app's port).
   */
  metrics: { token: string | undefined; listen: { host: string; port: number } | undefined };
}

type Env = Readonly<Record<string, string | undefined>>;

function required(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(`${name} is not set: see docs/github-app.md`);
  return value;
}

/** A whole number in [min, ∞) or the default; anything else is a `ConfigError` naming the variable. */
function wholeNumber(env: Env, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be a whole number ≥ ${min}, not ${raw}`);
  return n;
}

/** `AEGIS_READY_TIMEOUT_SECONDS` as milliseconds (seed 000: READY returns to ACTIVE after it). */
function readyTimeout(env: Env): { readyTimeoutMs?: number } {
  const raw = env['AEGIS_READY_TIMEOUT_SECONDS'];
  if (raw === undefined || raw === '') return {};
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new ConfigError(`AEGIS_READY_TIMEOUT_SECONDS must be a positive number of seconds, not ${raw}`);
  return { readyTimeoutMs: seconds * 1000 };
}

function mergeMethod(env: Env): { mergeMethod?: MergeMethod } {
  const value = env['AEGIS_MERGE_METHOD'];
  if (value === undefined || value === '') return {};
  if (value !== 'merge' && value !== 'squash' && value !== 'rebase')
    throw new ConfigError(`AEGIS_MERGE_METHOD must be merge, squash or rebase, not ${value}`);
  return { mergeMethod: value };
}

function issuePattern(env: Env): { issueKeyPattern?: RegExp } {
  const value = env['AEGIS_ISSUE_PATTERN'];
  if (!value) return {};
  try {
    return { issueKeyPattern: new RegExp(value) };
  } catch (error) {
    throw new ConfigError(`AEGIS_ISSUE_PATTERN is not a regular expression: ${(error as Error).message}`);
  }
}

function appConfig(env: Env): Partial<BotConfig> {
  return {
    ...issuePattern(env),
    ...(env['AEGIS_BOT_LOGIN'] ? { botLogin: env['AEGIS_BOT_LOGIN'] } : {}),
    ...(env['AEGIS_VERIFY_DATABASE_URL'] ? { verifyDatabaseUrl: env['AEGIS_VERIFY_DATABASE_URL'] } : {}),
    appId: wholeNumber(env, 'APP_ID', 0, 1),
    ...mergeMethod(env),
  };
}

/** `AEGIS_METRICS_LISTEN` as `host:port` (`127.0.0.1:9464`, `[::1]:9464`; port 0 picks a free one). */
function metricsListen(env: Env): { host: string; port: number } | undefined {
  const raw = env['AEGIS_METRICS_LISTEN'];
  if (!raw) return undefined;
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(raw);
  if (!m?.[1] || Number(m[2]) > 65535)
    throw new ConfigError(`AEGIS_METRICS_LISTEN must be host:port (127.0.0.1:9464), not ${raw}`);
  return { host: m[1], port: Number(m[2]) };
}

/** `PRIVATE_KEY`, or the file `PRIVATE_KEY_PATH` names. */
async function privateKey(env: Env): Promise<string> {
  const file = env['PRIVATE_KEY_PATH'];
  if (env['PRIVATE_KEY'] || !file) return required(env, 'PRIVATE_KEY');
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`PRIVATE_KEY_PATH ${file} cannot be read: ${(error as Error).message}`);
  }
}

function probotEnv(env: Env, key: string, secret: string): ProbotEnv {
  const picked: Record<string, string> = {};
  for (const name of PROBOT_VARIABLES) {
    const value = env[name];
    if (value !== undefined) picked[name] = value;
  }
  const format = env['LOG_FORMAT'] || undefined;
  if (format !== undefined && format !== 'json' && format !== 'pretty')
    throw new ConfigError(`LOG_FORMAT must be json or pretty, not ${format}`);
  return { ...picked, LOG_FORMAT: format, PRIVATE_KEY: key, WEBHOOK_SECRET: secret, REDIS_URL: '' };
}

/** A positive number or undefined; anything else is a `ConfigError` naming the variable. */
function positiveNumber(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(`${name} must be a positive number, got ${raw}`);
  return n;
}

/** The mirror's settings: its folder, URL template and limits (`mirrorLimits` turns them into options). */
function mirrorOptions(env: Env, dataDir: string): BotOptions['mirror'] {
  const concurrency = env['AEGIS_MIRROR_CONCURRENCY'];
  const n = Number(concurrency);
  if (concurrency && (!Number.isInteger(n) || n < 1))
    throw new ConfigError(`AEGIS_MIRROR_CONCURRENCY must be a whole number ≥ 1, got ${concurrency}`);
  return {
    // Mirrors are a cache beside the data directory (never inside it: that is PostgreSQL's).
    dir: env['AEGIS_MIRROR_DIR'] ?? `${dataDir}-mirrors`,
    urlTemplate: env['AEGIS_GIT_URL'],
    ...mirrorLimits({
      concurrency: concurrency ? n : undefined,
      budgetMb: positiveNumber(env, 'AEGIS_MIRROR_BUDGET_MB'),
    }),
  };
}

function writeBudget(env: Env): WriteWindow[] {
  const raw = env['AEGIS_WRITE_BUDGET'];
  if (raw === undefined || raw === '') return env['AEGIS_GITHUB_THROTTLE'] === 'off' ? [] : [...GITHUB_WRITE_BUDGET];
  try {
    return parseWriteBudget(raw);
  } catch (error) {
    throw new ConfigError(`AEGIS_WRITE_BUDGET: ${(error as Error).message} (write it like 1/1s,80/1m,500/1h or off)`);
  }
}

/** `AEGIS_API_TOKENS` and the file `AEGIS_API_TOKENS_FILE` names (docs/indexing-api.md). */
async function apiTokens(env: Env): Promise<ApiTokens> {
  try {
    const sources: TokenSource[] = [];
    const inline = env['AEGIS_API_TOKENS'];
    if (inline) sources.push({ json: inline, where: 'AEGIS_API_TOKENS' });
    const file = env['AEGIS_API_TOKENS_FILE'];
    if (file) sources.push({ json: await readFile(file, 'utf8'), where: file });
    return ApiTokens.fromJson(sources);
  } catch (error) {
    throw new ConfigError(`API tokens: ${(error as Error).message}`);
  }
}

/** `AEGIS_EVENTS_IDENTITY` and `AEGIS_EVENTS_ROLES`, each defaulting to `DEFAULT_BUS_IDENTITY`'s. */
function busIdentity(env: Env): BusIdentity {
  const roles = (env['AEGIS_EVENTS_ROLES'] ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  return {
    name: env['AEGIS_EVENTS_IDENTITY']?.trim() || DEFAULT_BUS_IDENTITY.name,
    roles: roles.length > 0 ? roles : [...DEFAULT_BUS_IDENTITY.roles],
  };
}

/**
 * Reads the bot's whole configuration from `env` — the one place in `@aegis/bot` (and `aegis bot`) that reads
 * environment variables — so the wiring (`serveBot`) is handed a typed object. Missing required variables and
 * unusable values are a `ConfigError` naming the variable. See docs/github-app.md for every variable.
 */
export async function readBotOptions(env: Env = process.env): Promise<BotOptions> {
  required(env, 'APP_ID');
  const key = await privateKey(env);
  const secret = required(env, 'WEBHOOK_SECRET');
  const dataDir = path.resolve(env['AEGIS_DATA_DIR'] ?? '.aegis');
  const gheHost = env['GHE_HOST'];
  return {
    host: env['HOST'] ?? '127.0.0.1',
    port: wholeNumber(env, 'PORT', 3000, 0),
    webhookPath: env['WEBHOOK_PATH'] ?? '/api/github/webhooks',
    githubApiUrl: gheHost ? `${env['GHE_PROTOCOL'] ?? 'https'}://${gheHost}/api/v3` : 'https://api.github.com',
    githubThrottle: env['AEGIS_GITHUB_THROTTLE'] !== 'off',
    writeBudget: writeBudget(env),
    probotEnv: probotEnv(env, key, secret),
    dataDir,
    // The same store `aegis audit` and the rest of the project open: PGlite AT the data directory.
    stores: { ...storeConfigFromEnv(env), dataDir },
    ...readyTimeout(env),
    mirror: mirrorOptions(env, dataDir),
    app: appConfig(env),
    api: {
      tokens: await apiTokens(env),
      defaultRepo: env['AEGIS_DEFAULT_REPO'],
      autoSwitch: env['AEGIS_SHADOW_AUTO_SWITCH'] === 'on',
    },
    events: botEventsConfigFromEnv(env),
    busIdentity: busIdentity(env),
    eventBranches: eventBranchesFromEnv(env),
    lockSweepMs: wholeNumber(env, 'AEGIS_LOCK_SWEEP_MS', 30_000, 1),
    metrics: { token: env['AEGIS_METRICS_TOKEN'] || undefined, listen: metricsListen(env) },
  };
}
