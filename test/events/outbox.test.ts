import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import {
  cloudEvent,
  RedisEventStore,
  SqlEventStore,
  startEventBus,
  type EventBus,
  type EventStore,
} from '@aegis/events';
import { connectRedis } from '@aegis/freeze';
import { connect } from '@nats-io/transport-node';
import { createGitRepo, type GitRepo } from '../helpers/git-repo.js';
import { addNullableColumn, exampleRegistry } from './fixtures.js';
import { deleteStream, PrivateNats, privateNames, SHARED_NATS, streamMessages, testDatabase } from './nats-support.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type StoreKind = 'sql' | 'redis';

/** A fresh event store of a kind: its own PostgreSQL database, or its own Redis key prefix (both removed after). */
async function eventStore(kind: StoreKind): Promise<EventStore> {
  if (kind === 'redis') {
    const redis = await connectRedis(REDIS_URL);
    const prefix = `aegis:test-events:${randomBytes(5).toString('hex')}:`;
    cleanups.push(async () => {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    });
    return new RedisEventStore(redis, prefix);
  }
  const db = await testDatabase();
  cleanups.push(() => db.drop());
  return SqlEventStore.open((await db.open()).sql);
}

async function bus(
  natsUrl: string,
  kind: StoreKind = 'sql',
  names = privateNames(),
): Promise<{ bus: EventBus; names: typeof names }> {
  const db = await testDatabase();
  cleanups.push(() => db.drop());
  const { freeze } = await db.open();
  const store = await eventStore(kind);
  const started = await startEventBus({
    natsUrl,
    names,
    freeze,
    store,
    handlers: {},
    consume: false,
    outbox: { backoffMs: [50, 100, 200], ackTimeoutMs: 1000 },
  });
  cleanups.push(() => started.close());
  return { bus: started, names };
}

describe('schema.changed through the outbox', () => {
  it('a merge publishes exactly one schema.changed, even when the push is seen twice', async () => {
    const files = await exampleRegistry();
    const repo: GitRepo = await createGitRepo({ files });
    cleanups.push(() => repo.cleanup());
    const before = await repo.sha();
    const after = await repo.commit('nickname', {
      '.kiro/schemas/users.yaml': addNullableColumn(files['.kiro/schemas/users.yaml'] as string),
    });
    const { bus: b, names } = await bus(SHARED_NATS);
    cleanups.push(() => deleteStream(SHARED_NATS, names));
    const layout = await b.ready;
    const push = { repoDir: repo.dir, repository: 'acme/registry', branch: 'main', before, after };
    const first = await b.publishSchemaChanged(push);
    const again = await b.publishSchemaChanged(push);
    expect(again?.id).toBe(first?.id);
    await b.drained();
    const nc = await connect({ servers: SHARED_NATS });
    cleanups.push(() => nc.close());
    const messages = await streamMessages(nc, layout.outboundStream, names.schemaChanged);
    expect(messages).toHaveLength(1);
    const event = JSON.parse(messages[0]!.body) as {
      type: string;
      data: { after: string; schemas: { name: string; owner: string }[] };
    };
    expect(event.type).toBe('com.aegis.schema.changed');
    expect(event.data.after).toBe(after);
    expect(event.data.schemas).toEqual([expect.objectContaining({ name: 'users', owner: 'user-service' })]);
  });
});

describe.each(['sql', 'redis'] as const)('the outbox on %s', (kind) => {
  it('keeps events while NATS is down and publishes them in order once it returns', async () => {
    const nats = await PrivateNats.start();
    cleanups.push(() => nats.close());
    const { bus: b, names } = await bus(nats.url, kind);
    const layout = await b.ready;
    const event = (n: number) =>
      cloudEvent({ id: `ev-${n}`, type: 'com.aegis.schema.changed', source: 'test', data: { n } });
    await b.publish(names.schemaChanged, event(1));
    await b.drained();
    await nats.stop();
    for (const n of [2, 3, 4]) await b.publish(names.schemaChanged, event(n));
    expect((await b.backlog()).pending).toBe(3);
    await nats.restart();
    await b.drained(30_000);
    const nc = await connect({ servers: nats.url });
    cleanups.push(() => nc.close());
    const bodies = (await streamMessages(nc, layout.outboundStream, names.schemaChanged)).map(
      (m) => (JSON.parse(m.body) as { id: string }).id,
    );
    expect(bodies).toEqual(['ev-1', 'ev-2', 'ev-3', 'ev-4']);
  });

  it('starts while NATS is unreachable and publishes when it comes up', async () => {
    const nats = await PrivateNats.start();
    cleanups.push(() => nats.close());
    await nats.stop();
    const { bus: b, names } = await bus(nats.url, kind);
    await b.publish(
      names.schemaChanged,
      cloudEvent({ id: 'early', type: 'com.aegis.schema.changed', source: 'test', data: {} }),
    );
    expect((await b.backlog()).pending).toBe(1);
    await nats.restart();
    const layout = await b.ready;
    await b.drained(30_000);
    const nc = await connect({ servers: nats.url });
    cleanups.push(() => nc.close());
    expect(await streamMessages(nc, layout.outboundStream, names.schemaChanged)).toHaveLength(1);
  });

  it('keeps one entry per event id, in order, with attempts, a lease for one owner and parked events', async () => {
    const store = await eventStore(kind);
    expect(await store.enqueue('a', 's', '{}')).toBe(true);
    expect(await store.enqueue('a', 's', '{"again":true}')).toBe(false);
    expect(await store.enqueue('b', 's', '{}')).toBe(true);
    const [a, b] = await store.pending();
    expect([a?.eventId, b?.eventId]).toEqual(['a', 'b']);
    await store.markFailed(b!.seq, 'timeout');
    expect((await store.pending()).map((e) => [e.eventId, e.attempts])).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
    await store.markPublished(a!.seq, 1);
    expect((await store.pending()).map((e) => e.eventId)).toEqual(['b']);
    expect(await store.backlog()).toMatchObject({ pending: 1 });
    // Still known after publishing: a late copy of the same event is refused.
    expect(await store.enqueue('a', 's', '{}')).toBe(false);
    expect(await store.lease('one', 10_000)).toBe(true);
    expect(await store.lease('two', 10_000)).toBe(false);
    await store.release('one');
    expect(await store.lease('two', 10_000)).toBe(true);
    const parked = await store.park({ eventId: 'x', subject: 's', payload: '{}', error: 'boom', attempts: 3 });
    expect(await store.parked()).toEqual([parked]);
    expect(await store.unpark(parked.id)).toBe(true);
    expect(await store.unpark(parked.id)).toBe(false);
    expect(await store.parked()).toEqual([]);
  });
});

describe('the SQL outbox', () => {
  it('prunes only published rows past the retention', async () => {
    const db = await testDatabase();
    cleanups.push(() => db.drop());
    const { sql } = await db.open();
    const store = await SqlEventStore.open(sql);
    await store.enqueue('a', 's', '{}');
    await store.enqueue('b', 's', '{}');
    const [a] = await store.pending();
    await store.markPublished(a!.seq, 1);
    expect(await store.prune(60_000)).toBe(0);
    await sql.query(`UPDATE aegis_event_outbox SET published_at = now() - interval '2 days' WHERE event_id = 'a'`);
    expect(await store.prune(24 * 3600_000)).toBe(1);
    expect((await store.pending()).map((e) => e.eventId)).toEqual(['b']);
  });
});
