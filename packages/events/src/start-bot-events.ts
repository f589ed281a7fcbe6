import path from 'node:path';
import { connectRedis, PgClient, PgliteClient, type FreezeService, type SqlClient } from '@aegis/freeze';
import type { EventStore } from './event-store.js';
import { RedisEventStore } from './redis-event-store.js';
import { SqlEventStore } from './sql-event-store.js';
import { eventNamesFromEnv } from './event-names.js';
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

/** The SQL the bus keeps its outbox in: PostgreSQL when `DATABASE_URL` is set, else PGlite beside the data directory. */
export async function openEventSql(env: NodeJS.ProcessEnv, dataDir: string): Promise<SqlClient> {
  const url = env['DATABASE_URL'];
  // PGlite allows one owner per data directory, and the freeze store owns the bot's: the outbox gets its own.
  return url ? new PgClient({ connectionString: url }) : PgliteClient.open(`${path.resolve(dataDir)}-events`);
}

/**
 * Where the bus keeps its outbox and parked events, as the freeze stores are chosen: PostgreSQL with
 * `DATABASE_URL`; else Redis with `REDIS_URL` (shared by replicas); else PGlite in `<dataDir>-events`.
 */
export async function openEventStore(
  env: NodeJS.ProcessEnv,
  dataDir: string,
): Promise<{ store: EventStore; close: () => Promise<void> }> {
  if (!env['DATABASE_URL'] && env['REDIS_URL']) {
    const redis = await connectRedis(env['REDIS_URL']);
    return {
      store: new RedisEventStore(redis),
      close: async () => void (await redis.quit().catch(() => redis.disconnect())),
    };
  }
  const sql = await openEventSql(env, dataDir);
  try {
    return { store: await SqlEventStore.open(sql), close: () => sql.close() };
  } catch (error) {
    await sql.close();
    throw error;
  }
}

/**
 * What `aegis bot` does with `NATS_URL`: starts the bus with every indexing operation as a handler and
 * names from `AEGIS_EVENTS_*`. Without `NATS_URL` it returns undefined and nothing changes. `close()` also
 * closes the store it opened.
 */
export async function startBotEvents(env: NodeJS.ProcessEnv, options: BotEventsOptions): Promise<EventBus | undefined> {
  const natsUrl = env['NATS_URL'];
  if (!natsUrl) return undefined;
  const { store, close } = await openEventStore(env, options.dataDir);
  return startEventBus({
    natsUrl,
    store,
    closeStore: close,
    freeze: options.freeze,
    handlers: operationHandlers(options.run),
    names: eventNamesFromEnv(env),
    ...(env['AEGIS_EVENTS_NAME'] ? { name: env['AEGIS_EVENTS_NAME'] } : {}),
    ...(env['AEGIS_DEFAULT_REPO'] ? { defaultRepository: env['AEGIS_DEFAULT_REPO'] } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
}
