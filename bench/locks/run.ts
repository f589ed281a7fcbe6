/**
 * bench:locks — per backend (PGlite, PostgreSQL, Redis): the write-permission check against the backend's raw
 * round trip (Redis PING, SQL `SELECT 1`), the shadow switch window (lock held), overlaps and throughput
 * under contention. One JSON line per backend; the Redis line last. Needs `tsc -b` first.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import {
  FreezeService,
  PgClient,
  PgliteClient,
  RedisStateStore,
  SqlStateStore,
  connectRedis,
  migrate,
} from '@aegis/freeze';
import type { SqlClient, StateStore } from '@aegis/freeze';
import { checkVsFloor, contended, nullAudit, pct, switchWindows } from './measure.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const PG_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 40); // × 50 samples each
const SWITCHES = Number(process.env['BENCH_SWITCHES'] ?? 200);
const ATTEMPTS = Number(process.env['BENCH_ATTEMPTS'] ?? 500);

interface Backend {
  name: string;
  state: StateStore;
  /** Extra independent connections for the contention run (3 more: 4 clients in all). */
  more: () => Promise<StateStore[]>;
  floor: () => Promise<unknown>;
  floorName: string;
  close: () => Promise<void>;
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

async function measure(b: Backend): Promise<Record<string, unknown>> {
  const freeze = new FreezeService(b.state, nullAudit);
  const { check, floor } = await checkVsFloor(freeze, b.floor, ROUNDS);
  const switches = await switchWindows(freeze, SWITCHES);
  const c = await contended([b.state, ...(await b.more())], ATTEMPTS);
  return {
    backend: b.name,
    check_p50_ms: round(pct(check, 50)),
    check_p99_ms: round(pct(check, 99)),
    [`${b.floorName}_p50_ms`]: round(pct(floor, 50)),
    check_p50_vs_ping: round(pct(check, 50) / pct(floor, 50)),
    switch_p50_ms: round(pct(switches, 50)),
    switch_p99_ms: round(pct(switches, 99)),
    overlaps: c.overlaps,
    contended_attempts_per_s: c.opsPerSec,
    contended_acquired: c.acquired,
    contended_refused: c.refused,
    samples: check.length,
  };
}

async function sqlBackend(
  name: string,
  open: () => Promise<SqlClient>,
  cleanup: () => Promise<void>,
  extra: () => Promise<SqlClient[]>,
): Promise<Backend> {
  const sql = await open();
  await migrate(sql);
  const opened: SqlClient[] = [sql];
  return {
    name,
    state: new SqlStateStore(sql),
    more: async () => {
      const clients = await extra();
      opened.push(...clients);
      return clients.map((c) => new SqlStateStore(c));
    },
    floor: () => sql.query('SELECT 1'),
    floorName: 'select1',
    close: async () => {
      for (const c of opened) await c.close();
      await cleanup();
    },
  };
}

async function pgliteBackend(): Promise<Backend> {
  const dir = mkdtempSync(join(tmpdir(), 'aegis-bench-'));
  let client: PgliteClient | undefined;
  // One process owns a PGlite data directory: the contention run shares the one client (4 async callers).
  return sqlBackend(
    'pglite',
    async () => (client = await PgliteClient.open(dir)),
    async () => rmSync(dir, { recursive: true, force: true }),
    async () => (client ? [client, client, client] : []),
  );
}

async function postgresBackend(): Promise<Backend> {
  const name = `aegis_bench_${randomBytes(4).toString('hex')}`;
  const admin = new PgClient({ connectionString: PG_URL, max: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const mk = (): PgClient => new PgClient({ connectionString: url.toString(), max: 1 });
  return sqlBackend(
    'postgres',
    async () => mk(),
    async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
    async () => [mk(), mk(), mk()],
  );
}

async function redisBackend(): Promise<Backend> {
  const prefix = `aegis-bench:${randomBytes(4).toString('hex')}:`;
  const conns: Redis[] = [await connectRedis(REDIS_URL)];
  const main = conns[0] as Redis;
  return {
    name: 'redis',
    state: new RedisStateStore(main, prefix, false),
    more: async () => {
      const extra = await Promise.all([1, 2, 3].map(() => connectRedis(REDIS_URL)));
      conns.push(...extra);
      return extra.map((r) => new RedisStateStore(r, prefix, false));
    },
    floor: () => main.ping(),
    floorName: 'ping',
    close: async () => {
      let cursor = '0';
      do {
        const [next, keys] = await main.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await main.del(...keys);
      } while (cursor !== '0');
      for (const c of conns) c.disconnect();
    },
  };
}

for (const open of [pgliteBackend, postgresBackend, redisBackend]) {
  const backend = await open();
  try {
    console.log(JSON.stringify(await measure(backend)));
  } finally {
    await backend.close();
  }
}
