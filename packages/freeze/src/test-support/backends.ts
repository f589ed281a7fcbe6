import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import type { AuditLog } from '../audit-log.js';
import { openStores, type StoreConfig, type Stores } from '../open-stores.js';
import { connectRedis } from '../redis/redis-connection.js';
import { RedisStateStore } from '../redis/redis-state-store.js';
import { MIGRATIONS, migrate } from '../sql/migrations.js';
import { PgClient } from '../sql/pg-client.js';
import { PgliteClient } from '../sql/pglite-client.js';
import { SqlAuditLog } from '../sql/sql-audit-log.js';
import type { SqlClient } from '../sql/sql-client.js';
import { SqlStateStore } from '../sql/sql-state-store.js';
import type { StateStore } from '../state-store.js';
import { proxyDatabase, type TcpProxy } from './services.js';

/** Test helpers for the shared backend suite: each backend opens isolated stores and removes them afterwards. */

export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
export const PG_ADMIN_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export type BackendName = 'pglite' | 'postgres' | 'redis';

/** Opened, isolated stores plus the connection details a child process needs to share them. */
export interface TestStores {
  state: StateStore;
  audit: AuditLog;
  /** `{ dataDir }`, `{ databaseUrl }` or `{ redisUrl, redisPrefix }` for workers. */
  env: Record<string, string>;
  /** The SQL database holding state and audit (PGlite, PostgreSQL); none on Redis. */
  sql?: SqlClient;
  close(): Promise<void>;
}

const suffix = (): string => `${process.pid}_${randomBytes(4).toString('hex')}`;

/**
 * A migrated PGlite cluster as a tarball, made once per machine and cached in the temp directory: seeding a
 * test's data directory from it takes ~1 s instead of initdb's ~5 s (many test files open PGlite).
 */
async function pgliteTemplate(): Promise<Blob> {
  const hash = createHash('sha1').update(JSON.stringify(MIGRATIONS)).digest('hex').slice(0, 12);
  const file = join(tmpdir(), `aegis-freeze-pglite-template-${hash}.tar`);
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const sql = await PgliteClient.open();
  await migrate(sql);
  const dump = await sql.dump();
  await sql.close();
  const part = `${file}.${process.pid}.part`;
  writeFileSync(part, Buffer.from(await dump.arrayBuffer()));
  renameSync(part, file);
  return dump;
}

/** A PGlite client on a fresh migrated cluster (in `dir`, or in memory). */
export async function openTestPglite(dir?: string): Promise<PgliteClient> {
  const sql = await PgliteClient.open(dir, { loadDataDir: await pgliteTemplate() });
  await migrate(sql);
  return sql;
}

/**
 * A fresh PostgreSQL database on the local server; returns its URL and a drop function. It commits
 * asynchronously (`synchronous_commit = off`): the tests check decisions and isolation, not fsync, and the
 * multi-process runs would otherwise wait on the disk of a shared machine.
 */
export async function createPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `aegis_freeze_${suffix()}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Stores whose PostgreSQL is a fresh database reached through a proxy the test cuts and restores. */
export interface StoresBehindPgProxy {
  stores: Stores;
  /** Between the stores and PostgreSQL: `cut()` is the outage, `start()` the return. */
  proxy: TcpProxy;
  /** Cuts the proxy, closes the stores and drops the database. */
  close(): Promise<void>;
}

/** Opens stores (`config` plus the database) on a fresh PostgreSQL database behind a cuttable proxy. */
export async function openStoresBehindPgProxy(config: Omit<StoreConfig, 'databaseUrl'>): Promise<StoresBehindPgProxy> {
  const db = await createPgDatabase();
  const { proxy, url } = await proxyDatabase(db.url).catch(async (error: unknown) => {
    await db.drop();
    throw error;
  });
  const close = async (stores?: Stores): Promise<void> => {
    await proxy.cut();
    await stores?.close();
    await db.drop();
  };
  try {
    const stores = await openStores({ ...config, databaseUrl: url });
    return { stores, proxy, close: () => close(stores) };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Deletes every key under a prefix. */
export async function deletePrefix(url: string, prefix: string): Promise<void> {
  const r = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await r.del(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}

/** Opens isolated stores on one backend. Redis keeps audit in an in-memory PGlite. */
export async function openTestStores(name: BackendName): Promise<TestStores> {
  if (name === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'aegis-freeze-'));
    const sql = await openTestPglite(dir);
    return {
      state: new SqlStateStore(sql),
      audit: new SqlAuditLog(sql),
      env: { dataDir: dir },
      sql,
      close: async () => {
        await sql.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (name === 'postgres') {
    const db = await createPgDatabase();
    const sql = new PgClient({ connectionString: db.url });
    const close = async (): Promise<void> => {
      try {
        await sql.close();
      } finally {
        await db.drop();
      }
    };
    // A database whose migration fails is dropped too: nobody would close it.
    await migrate(sql).catch(async (error: unknown) => {
      await close();
      throw error;
    });
    return { state: new SqlStateStore(sql), audit: new SqlAuditLog(sql), env: { databaseUrl: db.url }, sql, close };
  }
  const prefix = `aegis-test:${suffix()}:`;
  const redis = await connectRedis(REDIS_URL);
  const sql = await openTestPglite();
  return {
    state: new RedisStateStore(redis, prefix),
    audit: new SqlAuditLog(sql),
    env: { redisUrl: REDIS_URL, redisPrefix: prefix },
    close: async () => {
      redis.disconnect();
      try {
        await sql.close();
      } finally {
        await deletePrefix(REDIS_URL, prefix);
      }
    },
  };
}

let counter = 0;
/** A branch no other test uses. */
export function uniqueRef(tag = 'b'): { repo: string; branch: string } {
  counter += 1;
  return { repo: 'acme/registry', branch: `${tag}-${counter}-${randomBytes(3).toString('hex')}` };
}

/** Polls `probe` until it returns true (waiting for an event such as an expiry), or fails after `timeoutMs`. */
export async function waitFor(probe: () => Promise<boolean>, timeoutMs: number, stepMs = 20): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await probe()) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
