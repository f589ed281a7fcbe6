import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { StoreUnavailableError } from '../errors.js';
import { lockDataDir } from './data-dir-lock.js';
import type { SqlClient, SqlQueryable } from './sql-client.js';

/**
 * `SqlClient` over PGlite (WASM PostgreSQL) in a file-backed data directory: the embedded default, nothing
 * to install, state survives a restart. One process owns a data directory at a time; PGlite serialises
 * transactions itself, so concurrent callers in that process are safe.
 */
export class PgliteClient implements SqlClient {
  private constructor(
    private readonly db: PGlite,
    private readonly release: () => void,
  ) {}

  /**
   * Opens (creating if needed) the data directory; `undefined` = in memory (tests only). `loadDataDir` seeds
   * a new directory from a `dumpDataDir()` tarball instead of running initdb (tests use a migrated template).
   * A directory another live process has open is refused with `DataDirInUseError` (its `aegis.lock` names
   * the process): two PGlite instances on one directory abort or corrupt it.
   */
  static async open(dataDir?: string, options: { loadDataDir?: Blob } = {}): Promise<PgliteClient> {
    try {
      if (dataDir) mkdirSync(dataDir, { recursive: true });
    } catch (err) {
      throw new StoreUnavailableError(`cannot create PGlite data directory ${dataDir}: ${String(err)}`, { cause: err });
    }
    const release = dataDir ? lockDataDir(dataDir) : () => undefined;
    try {
      const db = await PGlite.create({ ...(dataDir ? { dataDir } : {}), ...options });
      return new PgliteClient(db, release);
    } catch (err) {
      release();
      throw new StoreUnavailableError(`cannot open PGlite data directory ${dataDir ?? '(memory)'}: ${String(err)}`, {
        cause: err,
      });
    }
  }

  async query<R = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    const res = await this.db.query<R>(sql, params as unknown[]);
    return res.rows;
  }

  async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) =>
      fn({
        query: async <R>(sql: string, params: readonly unknown[] = []) =>
          (await tx.query<R>(sql, params as unknown[])).rows,
      }),
    );
  }

  /** A tarball of the whole cluster (for `open(dir, { loadDataDir })`). */
  async dump(): Promise<Blob> {
    return this.db.dumpDataDir('none');
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
    this.release();
  }
}
