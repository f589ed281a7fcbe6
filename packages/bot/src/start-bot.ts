import { createServer } from 'node:http';
import { refuseOversizedWebhook } from './webhook-body-limit.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { eventBranchesFromEnv, startBotEvents, type SchemaEventSink } from '@aegis/events';
import { FreezeService, openStores, storeConfigFromEnv } from '@aegis/freeze';
import { createNodeMiddleware, createProbot, ProbotOctokit } from 'probot';
import { createAegisApp } from './create-aegis-app.js';
import { ConfigError } from './errors.js';
import type { BotContext, MergeMethod } from './bot-context.js';
import { githubFetch, RequestCounter } from './github-fetch.js';
import { throttleOptions } from './github-throttle.js';
import type { Log } from './run-checks.js';
import { BotMetrics } from './metrics.js';
import { mirrorLimitsFromEnv } from './mirror/mirror-limits.js';
import { persistentParseCache } from './mirror/parse-cache-file.js';
import { RepoMirror } from './mirror/repo-mirror.js';
import { createAegisHttp } from './api/aegis-http.js';
import type { OperationContext } from './indexing/index.js';
import { operationContext } from './indexing/operation-context.js';
import { normaliseInput } from './indexing/normalise-input.js';
import { runOperation } from './indexing/run-operation.js';
import { tokenPrincipal } from './rbac/authorize.js';
import type { OperationName } from './indexing/index.js';

/** A running bot: where it listens and how to stop it. */
export interface RunningBot {
  url: string;
  port: number;
  server: Server;
  bot: BotContext;
  /** GitHub REST requests made so far. */
  requests: RequestCounter;
  /** The indexing operations' context (other transports, e.g. NATS, run operations with it). */
  operations: OperationContext;
  close(): Promise<void>;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(`${name} is not set: see docs/github-app.md`);
  return value;
}

/** `AEGIS_MERGE_METHOD` (merge, squash or rebase); unset: the repository's own setting decides. */
function mergeMethodOption(value: string | undefined): { mergeMethod?: MergeMethod } {
  if (value === undefined || value === '') return {};
  if (value !== 'merge' && value !== 'squash' && value !== 'rebase')
    throw new ConfigError(`AEGIS_MERGE_METHOD must be merge, squash or rebase, not ${value}`);
  return { mergeMethod: value };
}

/**
 * Serves the app with Probot's usual environment (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, PORT, HOST,
 * GHE_HOST/GHE_PROTOCOL, WEBHOOK_PATH, LOG_LEVEL) plus Aegis's own: AEGIS_DATA_DIR (embedded store, default
 * `.aegis`), AEGIS_MIRROR_DIR (bare mirrors, default `<data dir>-mirrors`), DATABASE_URL / REDIS_URL
 * (shared stores for several replicas), AEGIS_GIT_URL
 * (mirror URL template with {owner}/{repo}), AEGIS_MIRROR_CONCURRENCY / AEGIS_MIRROR_BUDGET_MB (mirror limits), AEGIS_ISSUE_PATTERN (issue key regex), AEGIS_BOT_LOGIN.
 */
export async function startBot(env: NodeJS.ProcessEnv = process.env): Promise<RunningBot> {
  required(env, 'APP_ID');
  required(env, 'PRIVATE_KEY');
  const secret = required(env, 'WEBHOOK_SECRET');
  const dataDir = path.resolve(env['AEGIS_DATA_DIR'] ?? '.aegis');
  // The same store `aegis audit` and the rest of the project open: PGlite AT the data directory.
  const stores = await openStores({ ...storeConfigFromEnv(env), dataDir });
  // Seed 000: READY returns to ACTIVE after a timeout (AEGIS_READY_TIMEOUT_SECONDS, default 24 h).
  const readySeconds = Number(env['AEGIS_READY_TIMEOUT_SECONDS']);
  const freeze = new FreezeService(stores.state, stores.audit, {
    ...(readySeconds > 0 ? { readyTimeoutMs: readySeconds * 1000 } : {}),
  });
  // Mirrors are a cache beside the data directory (never inside it: that is PostgreSQL's).
  const mirrorDir = env['AEGIS_MIRROR_DIR'] ?? `${dataDir}-mirrors`;
  const mirror = new RepoMirror({
    dir: mirrorDir,
    urlTemplate: env['AEGIS_GIT_URL'],
    ...mirrorLimitsFromEnv(env),
  });
  const metrics = new BotMetrics(freeze);
  const requests = new RequestCounter((method, route) => metrics.githubRequests.inc({ method, route }));
  // Filled once the NATS bus runs (NATS_URL): the push handler publishes schema.changed through it.
  const schemaEvents: SchemaEventSink = { branches: eventBranchesFromEnv(env) };
  const { app, bot } = createAegisApp({
    freeze,
    mirror,
    cache: await persistentParseCache(mirrorDir),
    metrics,
    schemaEvents,
    config: {
      ...(env['AEGIS_ISSUE_PATTERN'] ? { issueKeyPattern: new RegExp(env['AEGIS_ISSUE_PATTERN']) } : {}),
      ...(env['AEGIS_BOT_LOGIN'] ? { botLogin: env['AEGIS_BOT_LOGIN'] } : {}),
      ...(env['AEGIS_VERIFY_DATABASE_URL'] ? { verifyDatabaseUrl: env['AEGIS_VERIFY_DATABASE_URL'] } : {}),
      appId: Number(env['APP_ID']),
      ...mergeMethodOption(env['AEGIS_MERGE_METHOD']),
    },
  });
  const apiBase = env['GHE_HOST']
    ? `${env['GHE_PROTOCOL'] ?? 'https'}://${env['GHE_HOST']}/api/v3`
    : 'https://api.github.com';
  // REDIS_URL is ours (state store); Probot would otherwise try to load its own throttling client with it.
  const probotEnv = { ...env, WEBHOOK_SECRET: secret, REDIS_URL: '' };
  // Octokit spaces write requests 1 s apart (GitHub's guidance for content creation) and waits out rate
  // limits (github-throttle.ts). A local fake needs no pacing: AEGIS_GITHUB_THROTTLE=off turns the throttle off
  // (tests, benchmarks), never for github.com.
  const throttled = env['AEGIS_GITHUB_THROTTLE'] !== 'off';
  const Octokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({
    ...o,
    throttle: { ...(o['throttle'] as object), ...throttleOptions(o['log'] as Log | undefined, throttled) },
  }));
  const probot = createProbot({
    env: probotEnv,
    overrides: { request: { fetch: githubFetch(apiBase, requests) }, Octokit },
  });
  const middleware = await createNodeMiddleware(app, {
    probot,
    webhooksPath: env['WEBHOOK_PATH'] ?? '/api/github/webhooks',
  });
  // The indexing-service API and dashboard (AEGIS_API_TOKENS, AEGIS_DEFAULT_REPO): see docs/indexing-api.md.
  // Built once the middleware has loaded the app: probot.log exists only after Probot's initialisation.
  const operations = operationContext(bot, (id) => probot.auth(id), {
    defaultRepo: env['AEGIS_DEFAULT_REPO'],
    autoSwitch: env['AEGIS_SHADOW_AUTO_SWITCH'] === 'on',
    log: probot.log,
  });
  const aegisHttp = createAegisHttp(operations, env);
  // NATS_URL: the third transport of the same operations, and schema.changed out (docs/events.md).
  const events = await startBotEvents(env, {
    freeze,
    dataDir,
    log: probot.log,
    run: (op, data, ctx) =>
      runOperation(operations, op as OperationName, normaliseInput(op as OperationName, data, operations.defaultRepo), {
        identity: ctx.actor,
        principal: tokenPrincipal(ctx.actor, ['indexer']),
        transport: 'nats',
        delivery: ctx.delivery,
      }),
  });
  schemaEvents.bus = events;
  metrics.watchEvents(events);
  const server = createServer((req, res) => {
    // No request's failure may become an unhandled rejection (it would end the process): answer 500 instead.
    const settle = (work: Promise<unknown>): void => {
      work.catch((error: unknown) => {
        probot.log.warn({ err: error, path: req.url }, 'request failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('internal error');
      });
    };
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    if (req.url === '/metrics') {
      settle(
        metrics.render().then(({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body)),
      );
      return;
    }
    if (req.url?.startsWith('/aegis/')) {
      settle(aegisHttp(req, res));
      return;
    }
    if (refuseOversizedWebhook(req, res)) return;
    settle(Promise.resolve(middleware(req, res, () => res.writeHead(404).end('not found'))));
  });
  await new Promise<void>((resolve) => server.listen(Number(env['PORT'] ?? 3000), env['HOST'] ?? '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  // Lock changes made elsewhere (TTL expiry, the indexing service) re-run aegis/freeze within one sweep.
  const sweepMs = Number(env['AEGIS_LOCK_SWEEP_MS'] ?? 30_000);
  const sweeper = setInterval(() => {
    bot.watcher.sweep().catch((error: unknown) => probot.log.warn({ err: error }, 'lock sweep failed'));
  }, sweepMs);
  sweeper.unref();
  return {
    url: `http://${env['HOST'] ?? '127.0.0.1'}:${port}`,
    port,
    server,
    bot,
    requests,
    operations,
    close: async () => {
      clearInterval(sweeper);
      await bot.watcher.idle();
      await events?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // A store that is down may never acknowledge a graceful quit: do not hang shutdown on it.
      let timer: NodeJS.Timeout | undefined;
      const giveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, 3000)));
      await Promise.race([stores.close().catch(() => undefined), giveUp]);
      clearTimeout(timer);
    },
  };
}
