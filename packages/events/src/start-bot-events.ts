import path from 'node:path';
import {
  connectRedis,
  PgClient,
  PgliteClient,
  storeConfigFromEnv,
  type FreezeService,
  type SqlClient,
  type StoreConfig,
} from '@aegis/freeze';
import type { EventStore } from './event-store.js';
import { RedisEventStore } from './redis-event-store.js';
import { SqlEventStore } from './sql-event-store.js';
import { eventNamesFromEnv, type EventNames } from './event-names.js';
import { operationHandlers, type RunOperation } from './operation-handlers.js';
import type { EventLogger } from './outbox-publisher.js';
import { startEventBus, type EventBus } from './start-event-bus.js';

export interface BotEventsOptions {
  /** Runs an indexing operation (the bot's `runOperation` with a NATS caller). */
  run: RunOperation;
  freeze: Pick<FreezeService, 'firstDelivery' | 'appendAudit'>;
  /** The bot's data directory: the embedded outbox lives beside it, in `<dataDir>-events`. */
  dataDir: string;
  log?: EventLogger;
}

/** Where the bus keeps its outbox: the freeze stores' choice (`storeConfigFromEnv` reads it). */
export type EventStoreConfig = Pick<StoreConfig, 'databaseUrl' | 'redisUrl'>;

/** The SQL the bus keeps its outbox in: PostgreSQL with a `databaseUrl`, else PGlite beside the data directory. */
export async function openEventSql(databaseUrl: string | undefined, dataDir: string): Promise<SqlClient> {
  // PGlite allows one owner per data directory, and the freeze store owns the bot's: the outbox gets its own.
  return databaseUrl
    ? new PgClient({ connectionString: databaseUrl })
    : PgliteClient.open(`${path.resolve(dataDir)}-events`);
}

/**
 * Where the bus keeps its outbox and parked events, as the freeze stores are chosen: PostgreSQL with
 * `DATABASE_URL`; else Redis with `REDIS_URL` (shared by replicas); else PGlite in `<dataDir>-events`.
 */
export async function openEventStore(
  config: EventStoreConfig,
  dataDir: string,
): Promise<{ store: EventStore; close: () => Promise<void> }> {
  if (!config.databaseUrl && config.redisUrl) {
    const redis = await connectRedis(config.redisUrl);
    return {
      store: new RedisEventStore(redis),
      close: async () => void (await redis.quit().catch(() => redis.disconnect())),
    };
  }
  const sql = await openEventSql(config.databaseUrl, dataDir);
  try {
    return { store: await SqlEventStore.open(sql), close: () => sql.close() };
  } catch (error) {
    await sql.close();
    throw error;
  }
}

/** Where and under which names `aegis bot` runs its bus (`botEventsConfigFromEnv`). */
export interface BotEventsConfig {
  natsUrl: string;
  store: EventStoreConfig;
  names: EventNames;
  /** The connection's name (`AEGIS_EVENTS_NAME`). */
  name?: string;
  /** The repository an event without one concerns (`AEGIS_DEFAULT_REPO`). */
  defaultRepository?: string;
}

/** `NATS_URL`, the store variables and `AEGIS_EVENTS_*`; undefined without `NATS_URL` (no bus). */
export function botEventsConfigFromEnv(env: NodeJS.ProcessEnv): BotEventsConfig | undefined {
  const natsUrl = env['NATS_URL'];
  if (!natsUrl) return undefined;
  return {
    natsUrl,
    store: storeConfigFromEnv(env),
    names: eventNamesFromEnv(env),
    ...(env['AEGIS_EVENTS_NAME'] ? { name: env['AEGIS_EVENTS_NAME'] } : {}),
    ...(env['AEGIS_DEFAULT_REPO'] ? { defaultRepository: env['AEGIS_DEFAULT_REPO'] } : {}),
  };
}

/**
 * What `aegis bot` does with `NATS_URL`: starts the bus with every indexing operation as a handler. Without a
 * config (no `NATS_URL`) it returns undefined and nothing changes. `close()` also closes the store it opened.
 */
export async function startBotEvents(
  config: BotEventsConfig | undefined,
  options: BotEventsOptions,
): Promise<EventBus | undefined> {
  if (!config) return undefined;
  const { store, close } = await openEventStore(config.store, options.dataDir);
  return startEventBus({
    natsUrl: config.natsUrl,
    store,
    closeStore: close,
    freeze: options.freeze,
    handlers: operationHandlers(options.run),
    names: config.names,
    ...(config.name ? { name: config.name } : {}),
    ...(config.defaultRepository ? { defaultRepository: config.defaultRepository } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
}
