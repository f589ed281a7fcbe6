import type { SqlClient } from './sql-client.js';

/**
 * Values derived from others and dear to derive again (the bot's parsed schema files, by blob id), kept in the
 * app's SQL database: they outlive restarts and every replica sharing the database reads what any of them
 * derived. A cache: what it loses is derived again, never wrong; keys and values are the caller's text.
 */
export interface CacheStore {
  /** A namespace's newest `newest` entries, oldest first. */
  entries(namespace: string, newest: number): Promise<[string, string][]>;
  /** Deletes all but a namespace's newest `keep` entries. */
  trim(namespace: string, keep: number): Promise<void>;
  /** The entries of `keys` a namespace holds (the others are not there). */
  get(namespace: string, keys: readonly string[]): Promise<[string, string][]>;
  /** Adds entries to a namespace; a key already there keeps its value (a value is a function of its key). */
  add(namespace: string, entries: readonly (readonly [string, string])[]): Promise<void>;
  /** Deletes every namespace starting with `prefix`, except `keep`. */
  clear(prefix: string, keep?: string): Promise<void>;
}

/** Rows per statement: a first event at 10,000 schemas writes tens of MiB, in statements of a few MiB. */
const BATCH = 2000;

/** `CacheStore` on PostgreSQL or PGlite (table `aegis_cache`). */
export class SqlCache implements CacheStore {
  constructor(private readonly sql: SqlClient) {}

  async entries(namespace: string, newest: number): Promise<[string, string][]> {
    const rows = await this.sql.query<{ key: string; value: string }>(
      'SELECT key, value FROM aegis_cache WHERE namespace = $1 ORDER BY seq DESC LIMIT $2',
      [namespace, newest],
    );
    return rows.reverse().map((r) => [r.key, r.value]);
  }

  async trim(namespace: string, keep: number): Promise<void> {
    await this.sql.query(
      `DELETE FROM aegis_cache WHERE namespace = $1 AND seq < (
         SELECT min(seq) FROM (SELECT seq FROM aegis_cache WHERE namespace = $1 ORDER BY seq DESC LIMIT $2) AS kept)`,
      [namespace, keep],
    );
  }

  async get(namespace: string, keys: readonly string[]): Promise<[string, string][]> {
    const out: [string, string][] = [];
    for (let i = 0; i < keys.length; i += BATCH) {
      const rows = await this.sql.query<{ key: string; value: string }>(
        'SELECT key, value FROM aegis_cache WHERE namespace = $1 AND key = ANY($2::text[])',
        [namespace, keys.slice(i, i + BATCH)],
      );
      for (const r of rows) out.push([r.key, r.value]);
    }
    return out;
  }

  async add(namespace: string, entries: readonly (readonly [string, string])[]): Promise<void> {
    for (let i = 0; i < entries.length; i += BATCH) {
      const batch = entries.slice(i, i + BATCH);
      await this.sql.query(
        `INSERT INTO aegis_cache (namespace, key, value)
         SELECT $1, * FROM unnest($2::text[], $3::text[]) ON CONFLICT (namespace, key) DO NOTHING`,
        [namespace, batch.map((e) => e[0]), batch.map((e) => e[1])],
      );
    }
  }

  async clear(prefix: string, keep?: string): Promise<void> {
    await this.sql.query('DELETE FROM aegis_cache WHERE starts_with(namespace, $1) AND namespace IS DISTINCT FROM $2', [
      prefix,
      keep ?? null,
    ]);
  }
}
