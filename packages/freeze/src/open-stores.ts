import type { AuditLog } from './audit-log.js';
import { InvalidRequestError } from './errors.js';
import { connectRedis } from './redis/redis-connection.js';
import { RedisStateStore } from './redis/redis-state-store.js';
import { migrate } from './sql/migrations.js';
import { PgClient } from './sql/pg-client.js';
import { PgliteClient } from './sql/pglite-client.js';
import { SqlAuditLog } from './sql/sql-audit-log.js';
import { SqlCache } from './sql/sql-cache.js';
import type { CacheStore } from './sql/sql-cache.js';
import type { SqlClient } from './sql/sql-client.js';
import { SqlStateStore } from './sql/sql-state-store.js';
import type { StateStore } from './state-store.js';

/**
 * Where state and audit live. `{ dataDir }` (default `.aegis/`) → embedded PGlite for both; `{ databaseUrl }`
 * → PostgreSQL for both; `{ redisUrl }` → Redis for state, with audit in `databaseUrl` if given, else PGlite
 * in `dataDir`.
 */
export interface StoreConfig {
  dataDir?: string;
  databaseUrl?: string;
  redisUrl?: string;
  /** Redis key prefix (default `aegis:`). */
  redisPrefix?: string;
  /** Connect/command timeout for Redis and PostgreSQL (default 1000 ms Redis, 2000 ms PostgreSQL). */
  timeoutMs?: number;
  /**
   * With state in Redis: how often queued audit records are drained into the audit log, besides at start-up and
   * after each change (`FreezeService.reconciler.start`; default `DEFAULT_AUDIT_DRAIN_MS`).
   */
  auditDrainMs?: number;
}

/** How often the audit outbox is drained when `AEGIS_AUDIT_DRAIN_MS` does not say (5 s). */
export const DEFAULT_AUDIT_DRAIN_MS = 5000;

/** Opened stores; `close()` closes everything opened. */
export interface Stores {
  state: StateStore;
  audit: AuditLog;
  /** Derived values kept across restarts, in the SQL database (beside the audit log, whatever holds state). */
  cache: CacheStore;
  /** Which backends were chosen, for logs: e.g. `{ state: 'redis', audit: 'postgres' }`. */
  kind: { state: 'pglite' | 'postgres' | 'redis'; audit: 'pglite' | 'postgres' };
  close(): Promise<void>;
}

/**
 * Reads `AEGIS_DATA_DIR`, `DATABASE_URL`, `REDIS_URL` (and `AEGIS_REDIS_PREFIX`, `AEGIS_AUDIT_DRAIN_MS`) into a
 * `StoreConfig`.
 */
export function storeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  const config: StoreConfig = {};
  const drain = env['AEGIS_AUDIT_DRAIN_MS'];
  if (drain !== undefined && drain !== '') {
    if (!/^\d+$/.test(drain) || Number(drain) < 100)
      throw new InvalidRequestError(`AEGIS_AUDIT_DRAIN_MS must be a whole number of milliseconds, at least 100`);
    config.auditDrainMs = Number(drain);
  }
  if (env['AEGIS_DATA_DIR']) config.dataDir = env['AEGIS_DATA_DIR'];
  if (env['DATABASE_URL']) config.databaseUrl = env['DATABASE_URL'];
  if (env['REDIS_URL']) config.redisUrl = env['REDIS_URL'];
  if (env['REDIS_URL'] && env['AEGIS_REDIS_PREFIX']) config.redisPrefix = env['AEGIS_REDIS_PREFIX'];
  return config;
}

async function openSql(config: StoreConfig): Promise<{ sql: SqlClient; kind: 'pglite' | 'postgres' }> {
  const sql: SqlClient = config.databaseUrl
    ? new PgClient({
        connectionString: config.databaseUrl,
        ...(config.timeoutMs ? { connectTimeoutMs: config.timeoutMs } : {}),
      })
    : await PgliteClient.open(config.dataDir ?? '.aegis');
  try {
    await migrate(sql);
  } catch (err) {
    await sql.close().catch(() => undefined);
    throw err;
  }
  return { sql, kind: config.databaseUrl ? 'postgres' : 'pglite' };
}

/**
 * Opens the configured stores (running SQL migrations); throws `StoreUnavailableError` fast if unreachable.
 * Redis is connected first: an unreachable state store is refused before the SQL side is opened or migrated.
 */
export async function openStores(config: StoreConfig = {}): Promise<Stores> {
  if (config.redisPrefix !== undefined && !config.redisUrl) throw new InvalidRequestError('redisPrefix needs redisUrl');
  if (!config.redisUrl) {
    const { sql, kind } = await openSql(config);
    const audit = new SqlAuditLog(sql);
    return {
      state: new SqlStateStore(sql),
      audit,
      cache: new SqlCache(sql),
      kind: { state: kind, audit: kind },
      close: () => sql.close(),
    };
  }
  const redis = await connectRedis(config.redisUrl, config.timeoutMs ? { timeoutMs: config.timeoutMs } : {});
  const state = new RedisStateStore(redis, config.redisPrefix ?? 'aegis:');
  let opened;
  try {
    opened = await openSql(config);
  } catch (err) {
    await state.close();
    throw err;
  }
  const { sql, kind } = opened;
  return {
    state,
    audit: new SqlAuditLog(sql),
    cache: new SqlCache(sql),
    kind: { state: 'redis', audit: kind },
    close: async () => {
      await state.close();
      await sql.close();
    },
  };
}
