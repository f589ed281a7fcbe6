import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBotEvents, type EventBus, type SchemaEventSink } from '@aegis/events';
import { DEFAULT_AUDIT_DRAIN_MS, FreezeService, openStores, type Stores } from '@aegis/freeze';
import { createNodeMiddleware, createProbot, ProbotOctokit, type ApplicationFunction, type Probot } from 'probot';
import { createAegisHttp } from './api/aegis-http.js';
import type { BotContext } from './bot-context.js';
import { createAegisApp } from './create-aegis-app.js';
import { githubFetch, RequestCounter } from './github-fetch.js';
import { throttleOptions } from './github-throttle.js';
import { busOperationRunner } from './events/bus-operation-runner.js';
import type { OperationContext } from './indexing/index.js';
import { BotMetrics } from './metrics.js';
import { metricsEndpoint, serveMetricsApart } from './metrics-endpoint.js';
import { persistentParseCache } from './mirror/parse-cache-store.js';
import { RepoMirror } from './mirror/repo-mirror.js';
import { mirrorPolicyCache } from './rbac/policy-cache.js';
import type { PolicyCache } from './rbac/policy-cache.js';
import type { BotOptions } from './read-bot-options.js';
import type { Log } from './log.js';
import { refuseOversizedWebhook } from './webhook-body-limit.js';
import { correlationId, quietDeliveryErrors } from './delivery-errors.js';
import { openWritePacer } from './write-budget/open-write-pacer.js';
import type { WritePacer } from './write-budget/write-pacer.js';

/** A running bot: where it listens and how to stop it. */
export interface RunningBot {
  url: string;
  port: number;
  server: Server;
  bot: BotContext;
  /** GitHub REST requests made so far. */
  requests: RequestCounter;
  /** Paces each installation's writes within its budget (`AEGIS_WRITE_BUDGET`); none when it is off. */
  pacer?: WritePacer;
  /** The indexing operations' context (other transports, e.g. NATS, run operations with it). */
  operations: OperationContext;
  close(): Promise<void>;
}

/** The app with its stores, mirror and metrics, before any transport is attached. */
async function openApp(options: BotOptions) {
  const stores = await openStores(options.stores);
  const freeze = new FreezeService(stores.state, stores.audit, {
    ...(options.readyTimeoutMs ? { readyTimeoutMs: options.readyTimeoutMs } : {}),
  });
  const mirror = new RepoMirror(options.mirror);
  const metrics = new BotMetrics(freeze);
  metrics.capacity.watchMirror(mirror, options.mirror);
  const requests = new RequestCounter((method, route) => metrics.countGithubRequest(method, route));
  // Filled once the NATS bus runs: the push handler publishes schema.changed through it.
  const schemaEvents: SchemaEventSink = { branches: options.eventBranches };
  const { app, bot, operations } = createAegisApp({
    freeze,
    mirror,
    cache: await persistentParseCache(stores.cache, options.mirror.dir),
    metrics,
    schemaEvents,
    config: options.app,
    operations: { defaultRepo: options.api.defaultRepo, autoSwitch: options.api.autoSwitch },
  });
  return { stores, freeze, metrics, requests, schemaEvents, app, bot, operations };
}

/** Probot over our fetch (request counting, GitHub Enterprise) and throttled Octokit, and its webhook middleware. */
async function startProbot(
  options: BotOptions,
  app: ApplicationFunction,
  requests: RequestCounter,
  pacer: WritePacer | undefined,
) {
  // Octokit spaces write requests 1 s apart (GitHub's guidance for content creation) and waits out rate
  // limits (github-throttle.ts); a local fake needs no pacing (githubThrottle off), never for github.com.
  const Octokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({
    ...o,
    throttle: {
      ...(o['throttle'] as object),
      ...throttleOptions(o['log'] as Log | undefined, options.githubThrottle, pacer !== undefined),
    },
  }));
  const probot = createProbot({
    env: options.probotEnv,
    overrides: { request: { fetch: githubFetch(options.githubApiUrl, requests, pacer) }, Octokit },
  });
  const middleware = await createNodeMiddleware(app, { probot, webhooksPath: options.webhookPath });
  return { probot, middleware };
}

/**
 * NATS (`options.events`): the third transport of the indexing operations, and schema.changed out. Every
 * event is judged as the configured bus identity under its repository's policy (`busOperationRunner`), read
 * through the same cache as the HTTP API's.
 */
function startEvents(
  options: BotOptions,
  freeze: FreezeService,
  parts: { operations: OperationContext; policies: PolicyCache; probot: Probot },
): Promise<EventBus | undefined> {
  const { operations, policies, probot } = parts;
  return startBotEvents(options.events, {
    freeze,
    dataDir: options.dataDir,
    log: probot.log,
    run: busOperationRunner(operations, { identity: options.busIdentity, policies }),
  });
}

type Handle = (req: IncomingMessage, res: ServerResponse) => Promise<unknown>;
type Middleware = Awaited<ReturnType<typeof createNodeMiddleware>>;

/** The server's routes: health, metrics, the Aegis API and dashboard under `/aegis/`, and GitHub's webhooks. */
function requestListener(routes: { metrics?: Handle; aegis: Handle; webhooks: Handle; log: Probot['log'] }) {
  const listener: RequestListener = (req, res) => {
    // No request's failure may become an unhandled rejection (it would end the process): answer 500 instead.
    const settle = (work: Promise<unknown>): void => {
      work.catch((error: unknown) => {
        const id = correlationId();
        routes.log.warn({ err: error, path: req.url, correlationId: id }, 'request failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`internal error (correlation id ${id})`);
      });
    };
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    } else if (req.url === '/metrics' && routes.metrics) {
      settle(routes.metrics(req, res));
    } else if (req.url?.startsWith('/aegis/')) {
      settle(routes.aegis(req, res));
    } else if (!refuseOversizedWebhook(req, res)) {
      settle(routes.webhooks(req, res));
    }
  };
  return listener;
}

async function listen(server: Server, options: BotOptions): Promise<number> {
  await new Promise<void>((resolve) => server.listen(options.port, options.host, resolve));
  return (server.address() as AddressInfo).port;
}

/** Stops in order: the sweep, pending re-evaluations, the bus, the server, then the stores (bounded). */
async function stop(parts: {
  sweeper: NodeJS.Timeout;
  bot: BotContext;
  events?: EventBus;
  server: Server;
  stores: Stores;
  pacer?: WritePacer;
}) {
  clearInterval(parts.sweeper);
  await parts.bot.watcher.idle();
  await parts.bot.freeze.reconciler?.stop();
  await parts.events?.close();
  parts.server.closeAllConnections();
  await new Promise<void>((resolve) => parts.server.close(() => resolve()));
  // A store that is down may never acknowledge a graceful quit: do not hang shutdown on it.
  let timer: NodeJS.Timeout | undefined;
  const giveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, 3000)));
  const closing = Promise.all([parts.stores.close(), parts.pacer?.close()]).catch(() => undefined);
  await Promise.race([closing, giveUp]);
  clearTimeout(timer);
}

/** The app's HTTP server (and `/metrics` apart when `AEGIS_METRICS_LISTEN` says so), listening. */
async function serveHttp(
  options: BotOptions,
  parts: {
    operations: OperationContext;
    policies: PolicyCache;
    metrics: BotMetrics;
    probot: Probot;
    middleware: Middleware;
  },
) {
  const { operations, policies, metrics, probot, middleware } = parts;
  // /metrics on the app's port, or only on AEGIS_METRICS_LISTEN; with AEGIS_METRICS_TOKEN only for its bearer.
  const scrape = metricsEndpoint(metrics, options.metrics);
  const apart = options.metrics.listen
    ? await serveMetricsApart(scrape, options.metrics.listen, probot.log)
    : undefined;
  const server = createServer(
    requestListener({
      ...(apart ? {} : { metrics: scrape }),
      aegis: createAegisHttp(operations, options.api.tokens, policies),
      // What a delivery is answered shows in GitHub's delivery log: never internal error text (delivery-errors.ts).
      webhooks: async (req, res) => {
        const answer = quietDeliveryErrors(req, res, probot.log);
        return middleware(req, answer, () => answer.writeHead(404).end('not found'));
      },
      log: probot.log,
    }),
  );
  return { server, apart, port: await listen(server, options) };
}

/** Lock changes made elsewhere (TTL expiry, the indexing service) re-run aegis/freeze within one sweep. */
function startSweep(bot: BotContext, options: BotOptions, log: Probot['log']): NodeJS.Timeout {
  const sweeper = setInterval(() => {
    bot.watcher.sweep().catch((error: unknown) => log.warn({ err: error }, 'lock sweep failed'));
  }, options.lockSweepMs);
  sweeper.unref();
  return sweeper;
}

/**
 * Wires and serves the app from read options (`readBotOptions`): stores, mirror, Probot, the HTTP API,
 * NATS, the lock sweep. Reads no environment variable itself.
 */
export async function serveBot(options: BotOptions): Promise<RunningBot> {
  const { stores, freeze, metrics, requests, schemaEvents, app, bot, operations: loaded } = await openApp(options);
  const pacer = await openWritePacer(options.writeBudget, options.stores);
  metrics.capacity.watchPacer(pacer);
  const { probot, middleware } = await startProbot(options, app, requests, pacer);
  // State in Redis queues audit records with each change: drain what a previous run left, then now and then.
  freeze.reconciler?.start(options.stores.auditDrainMs ?? DEFAULT_AUDIT_DRAIN_MS, (err) =>
    probot.log.warn({ err }, 'queued audit records could not be written yet; retrying'),
  );
  // Built when the middleware loaded the app (probot.auth and probot.log exist from then on).
  const operations = loaded();
  // One policy source for the two transports judged by roles: a repository's policy is read once a minute.
  const policies = mirrorPolicyCache(operations, probot.log);
  const events = await startEvents(options, freeze, { operations, policies, probot });
  schemaEvents.bus = events;
  metrics.watchEvents(events);
  const { server, apart, port } = await serveHttp(options, { operations, policies, metrics, probot, middleware });
  const sweeper = startSweep(bot, options, probot.log);
  const close = async () => {
    apart?.closeAllConnections();
    await new Promise<void>((resolve) => (apart ? apart.close(() => resolve()) : resolve()));
    await stop({ sweeper, bot, server, stores, ...(events ? { events } : {}), ...(pacer ? { pacer } : {}) });
  };
  const url = `http://${options.host}:${port}`;
  return { url, port, server, bot, requests, operations, close, ...(pacer ? { pacer } : {}) };
}
