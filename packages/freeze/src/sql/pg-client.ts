import { createHash } from 'node:crypto';
import pg from 'pg';
import { StoreUnavailableError } from '../errors.js';
import type { SqlClient, SqlQueryable } from './sql-client.js';

/** Options of `PgClient`: short timeouts so an unreachable database fails fast (callers fail closed). */
export interface PgClientOptions {
  connectionString: string;
  /** Pool size (default 5). */
  max?: number;
  /** Connect timeout (default 2000 ms). */
  connectTimeoutMs?: number;
  /** Per-query timeout (default 5000 ms). */
  queryTimeoutMs?: number;
}

// SQLSTATE classes meaning "the database is not there" rather than "your SQL is wrong".
const UNAVAILABLE = /^(08|53|57P)/;

/** Maps connection-level failures to `StoreUnavailableError`; SQL errors pass through. */
export function wrapPgError(err: unknown): unknown {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !UNAVAILABLE.test(code)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new StoreUnavailableError(`PostgreSQL unavailable: ${message}`, { cause: err });
}

const PREPARABLE = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i;

/**
 * The query config for `pg`: data statements become named prepared statements (named by a hash of their text,
 * prepared once per connection), because planning costs several times the round trip of a check.
 */
function toQuery(sql: string, params: readonly unknown[]): pg.QueryConfig {
  if (!PREPARABLE.test(sql)) return { text: sql, values: params as unknown[] };
  return {
    name: `aegis_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`,
    text: sql,
    values: params as unknown[],
  };
}

/** `SqlClient` over a `pg` Pool (`DATABASE_URL`): several processes share it safely through transactions and row locks. */
export class PgClient implements SqlClient {
  private readonly pool: pg.Pool;

  constructor(options: PgClientOptions) {
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.max ?? 5,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 2000,
      query_timeout: options.queryTimeoutMs ?? 5000,
      idleTimeoutMillis: 10_000,
    });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  async query<R = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    try {
      const res = await this.pool.query(toQuery(sql, params));
      return res.rows as R[];
    } catch (err) {
      throw wrapPgError(err);
    }
  }

  async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw wrapPgError(err);
    }
    const tx: SqlQueryable = {
      query: async <R>(sql: string, params: readonly unknown[] = []) => {
        try {
          return (await client.query(toQuery(sql, params))).rows as R[];
        } catch (err) {
          throw wrapPgError(err);
        }
      },
    };
    let broken = false;
    try {
      await tx.query('BEGIN');
      const out = await fn(tx);
      await tx.query('COMMIT');
      return out;
    } catch (err) {
      broken = err instanceof StoreUnavailableError;
      if (!broken) await client.query('ROLLBACK').catch(() => (broken = true));
      throw err;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
