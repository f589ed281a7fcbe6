/**
 * bench:events — the event bus against the bare JetStream client, side by side in one run (needs `tsc -b`,
 * NATS on NATS_URL, PostgreSQL on DATABASE_URL):
 *  - outbound: N events through the outbox (SQL insert, ordered drain, acked publish) vs N acked publishes,
 *    and the same through the Redis outbox;
 *  - inbound: N events handled by the bus (validate, dedupe claim in SQL, no-op handler, ack) vs N read and
 *    acked by a bare pull consumer;
 *  - outage: M events queued while a private nats-server is down; time from its restart to the outbox drained.
 * `npx tsx bench/events/run.ts` (BENCH_EVENTS, BENCH_OUTAGE_EVENTS). One JSON line per measure.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cloudEvent,
  ensureStreams,
  eventNames,
  RedisEventStore,
  startEventBus,
  type EventNames,
  type EventStore,
} from '@aegis/events';
import { connectRedis, FreezeService, migrate, PgClient, SqlAuditLog, SqlStateStore } from '@aegis/freeze';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { freePort } from '../../test/helpers/free-port.js';

const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const PG_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const N = Number(process.env['BENCH_EVENTS'] ?? 500);
const M = Number(process.env['BENCH_OUTAGE_EVENTS'] ?? 100);
const ms = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e6;
const round = (n: number): number => Math.round(n * 100) / 100;
const names = (): EventNames => eventNames({ prefix: `bench${randomBytes(4).toString('hex')}` });

async function database(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `aegis_bench_events_${process.pid}_${Date.now().toString(36)}`;
  const admin = new PgClient({ connectionString: PG_URL });
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => (await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`), await admin.close()),
  };
}

async function bus(natsUrl: string, dbUrl: string, n: EventNames, onHandled?: () => void, store?: EventStore) {
  const sql = new PgClient({ connectionString: dbUrl });
  await migrate(sql);
  const freeze = new FreezeService(new SqlStateStore(sql), new SqlAuditLog(sql));
  const started = await startEventBus({
    natsUrl,
    names: n,
    freeze,
    sql,
    ...(store ? { store } : {}),
    handlers: { 'indexing.started': async () => undefined },
    onOutcome: () => onHandled?.(),
    outbox: { backoffMs: [20, 50, 100] },
  });
  return { bus: started, close: async () => (await started.close(), await sql.close()) };
}

/** Publishes N schema.changed events through the bus's outbox: the time to enqueue them all, and to drain them. */
async function publishThroughOutbox(
  b: Awaited<ReturnType<typeof bus>>,
  n: EventNames,
  idPrefix: string,
): Promise<{ enqueued: number; total: number }> {
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++)
    await b.bus.publish(
      n.schemaChanged,
      cloudEvent({ id: `${idPrefix}-${i}`, type: 'com.aegis.schema.changed', source: 'bench', data: { i } }),
    );
  const enqueued = ms(t);
  await b.bus.drained(120_000);
  return { enqueued, total: ms(t) };
}

/** The outbox on Redis, same run: enqueue and drain N events. */
async function outboundRedis(dbUrl: string): Promise<Record<string, unknown>> {
  const n = names();
  const redis = await connectRedis(REDIS_URL);
  const prefix = `aegis:bench-events:${randomBytes(4).toString('hex')}:`;
  const b = await bus(NATS_URL, dbUrl, n, undefined, new RedisEventStore(redis, prefix));
  const { outboundStream } = await b.bus.ready;
  const { enqueued, total } = await publishThroughOutbox(b, n, 'redis');
  await b.close();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  const nc = await connect({ servers: NATS_URL });
  await (await jetstreamManager(nc)).streams.delete(outboundStream);
  await nc.close();
  return {
    measure: 'outbound-redis-outbox',
    events: N,
    outbox_enqueue_ms_per_event: round(enqueued / N),
    outbox_ms_per_event: round(total / N),
  };
}

async function outbound(dbUrl: string): Promise<Record<string, unknown>> {
  const n = names();
  const nc = await connect({ servers: NATS_URL });
  const { outboundStream } = await ensureStreams(await jetstreamManager(nc), n);
  const js = jetstream(nc);
  const body = (i: number): string =>
    JSON.stringify(cloudEvent({ id: `floor-${i}`, type: 'com.aegis.schema.changed', source: 'bench', data: { i } }));
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await js.publish(n.schemaChanged, body(i), { msgID: `floor-${i}` });
  const floor = ms(t);
  const b = await bus(NATS_URL, dbUrl, n);
  await b.bus.ready;
  const { enqueued, total } = await publishThroughOutbox(b, n, 'outbox');
  await b.close();
  await (await jetstreamManager(nc)).streams.delete(outboundStream);
  await nc.close();
  return {
    measure: 'outbound',
    events: N,
    floor_ms_per_event: round(floor / N),
    outbox_enqueue_ms_per_event: round(enqueued / N),
    outbox_ms_per_event: round(total / N),
    ratio: round(total / floor),
  };
}

async function inbound(dbUrl: string): Promise<Record<string, unknown>> {
  const n = names();
  const nc = await connect({ servers: NATS_URL });
  const jsm = await jetstreamManager(nc);
  const { inboundStream } = await ensureStreams(jsm, n);
  const js = jetstream(nc);
  const event = (i: number): string =>
    JSON.stringify({
      id: `in-${i}`,
      source: 'bench',
      type: 'com.aegis.indexing.started',
      data: { repository: 'acme/registry', branch_name: 'main', indexing_id: `idx-${i}` },
    });
  for (let i = 0; i < N; i++) await js.publish(n.inbound['indexing.started'], event(i));
  await jsm.consumers.add(inboundStream, {
    durable_name: 'floor',
    filter_subject: n.inboundFilter,
    ack_policy: AckPolicy.Explicit,
  });
  let t = process.hrtime.bigint();
  const floorMessages = await (await js.consumers.get(inboundStream, 'floor')).consume();
  let read = 0;
  for await (const m of floorMessages) {
    m.ack();
    if (++read === N) break;
  }
  const floor = ms(t);
  let handled = 0;
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (done = resolve));
  t = process.hrtime.bigint();
  const b = await bus(NATS_URL, dbUrl, n, () => ++handled === N && done());
  await all;
  const total = ms(t);
  await b.close();
  await jsm.streams.delete(inboundStream);
  await nc.close();
  return {
    measure: 'inbound',
    events: N,
    floor_ms_per_event: round(floor / N),
    bus_ms_per_event: round(total / N),
    ratio: round(total / floor),
  };
}

async function natsServer(port: number, dir: string) {
  const child = spawn('/usr/sbin/nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const onData = (c: Buffer): void => void ((out += c.toString()).includes('Server is ready') && resolve());
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', () => reject(new Error(out)));
  });
  return { stop: () => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGKILL'))) };
}

async function outage(dbUrl: string): Promise<Record<string, unknown>> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'aegis-bench-nats-'));
  const url = `nats://127.0.0.1:${port}`;
  let server = await natsServer(port, dir);
  const n = names();
  const b = await bus(url, dbUrl, n);
  await b.bus.ready;
  await server.stop();
  for (let i = 0; i < M; i++)
    await b.bus.publish(
      n.schemaChanged,
      cloudEvent({ id: `outage-${i}`, type: 'com.aegis.schema.changed', source: 'bench', data: { i } }),
    );
  server = await natsServer(port, dir);
  const t = process.hrtime.bigint();
  await b.bus.drained(120_000);
  const drained = ms(t);
  await b.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
  return { measure: 'outage', queued_events: M, restart_to_drained_ms: round(drained) };
}

const db = await database();
try {
  for (const run of [outbound, outboundRedis, inbound, outage]) console.log(JSON.stringify(await run(db.url)));
} finally {
  await db.drop();
}
