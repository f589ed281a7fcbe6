import type { Redis } from 'ioredis';
import type { EventStore, OutboxEntry, ParkedEvent } from './event-store.js';

/** Adds an event unless its id is known: KEYS[1] id key; ARGV prefix, event id, subject, payload, now. */
const ENQUEUE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local seq = redis.call('INCR', ARGV[1] .. 'seq')
redis.call('HSET', ARGV[1] .. 'e:' .. seq, 'eventId', ARGV[2], 'subject', ARGV[3], 'payload', ARGV[4], 'attempts', 0, 'created', ARGV[5])
redis.call('SET', KEYS[1], seq)
redis.call('RPUSH', ARGV[1] .. 'outbox', seq)
return seq`;

/** Removes a published entry; its id stays known for ARGV[3] ms (a late duplicate is still refused). */
const PUBLISHED = `
local id = redis.call('HGET', ARGV[1] .. 'e:' .. ARGV[2], 'eventId')
redis.call('LREM', ARGV[1] .. 'outbox', 1, ARGV[2])
redis.call('DEL', ARGV[1] .. 'e:' .. ARGV[2])
if id then redis.call('PEXPIRE', ARGV[1] .. 'id:' .. id, ARGV[3]) end
return 1`;

/** Takes or renews the lease: KEYS[1] lease; ARGV owner, ms. */
const LEASE = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

const KEEP_IDS_MS = 24 * 3600_000;

function parkedFrom(id: number, h: Record<string, string>): ParkedEvent | undefined {
  if (!h['subject']) return undefined;
  return {
    id,
    eventId: h['eventId'] ? h['eventId'] : null,
    subject: h['subject'],
    payload: h['payload'] ?? '',
    error: h['error'] ?? '',
    attempts: Number(h['attempts'] ?? 0),
    parkedAt: new Date(Number(h['at'] ?? 0)).toISOString(),
  };
}

/**
 * The event store on Redis (single instance, like the freeze state store): the outbox is a list of
 * sequence numbers with one hash per entry, an id key per event for dedupe (kept a day after publishing),
 * a lease key with PX expiry, and parked events in a sorted set of hashes. Scripts keep each step atomic.
 */
export class RedisEventStore implements EventStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'aegis:events:',
  ) {}

  async enqueue(eventId: string, subject: string, payload: string): Promise<boolean> {
    const seq = await this.redis.eval(
      ENQUEUE,
      1,
      `${this.prefix}id:${eventId}`,
      this.prefix,
      eventId,
      subject,
      payload,
      Date.now(),
    );
    return Number(seq) > 0;
  }

  async pending(limit = 100): Promise<OutboxEntry[]> {
    const seqs = await this.redis.lrange(`${this.prefix}outbox`, 0, limit - 1);
    const entries = await Promise.all(
      seqs.map(async (seq) => ({ seq: Number(seq), h: await this.redis.hgetall(`${this.prefix}e:${seq}`) })),
    );
    return entries
      .filter(({ h }) => h['eventId'] !== undefined)
      .map(({ seq, h }) => ({
        seq,
        eventId: h['eventId'] as string,
        subject: h['subject'] ?? '',
        payload: h['payload'] ?? '',
        attempts: Number(h['attempts'] ?? 0),
      }));
  }

  async markPublished(seq: number): Promise<void> {
    await this.redis.eval(PUBLISHED, 0, this.prefix, seq, KEEP_IDS_MS);
  }

  async markFailed(seq: number, error: string): Promise<void> {
    const key = `${this.prefix}e:${seq}`;
    await this.redis.multi().hincrby(key, 'attempts', 1).hset(key, 'lastError', error.slice(0, 2000)).exec();
  }

  async backlog(): Promise<{ pending: number; oldest: string | null }> {
    const [count, head] = await Promise.all([
      this.redis.llen(`${this.prefix}outbox`),
      this.redis.lindex(`${this.prefix}outbox`, 0),
    ]);
    const created = head ? await this.redis.hget(`${this.prefix}e:${head}`, 'created') : null;
    return { pending: count, oldest: created ? new Date(Number(created)).toISOString() : null };
  }

  async lease(owner: string, ms: number): Promise<boolean> {
    return Number(await this.redis.eval(LEASE, 1, `${this.prefix}lease`, owner, ms)) === 1;
  }

  async release(owner: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, `${this.prefix}lease`, owner);
  }

  /** Published entries are removed at once (ids expire by themselves): nothing to prune. */
  async prune(): Promise<number> {
    return 0;
  }

  async park(input: Omit<ParkedEvent, 'id' | 'parkedAt'>): Promise<ParkedEvent> {
    const id = await this.redis.incr(`${this.prefix}pseq`);
    const at = Date.now();
    const fields = {
      eventId: input.eventId ?? '',
      subject: input.subject,
      payload: input.payload,
      error: input.error.slice(0, 2000),
      attempts: input.attempts,
      at,
    };
    await this.redis.multi().hset(`${this.prefix}p:${id}`, fields).zadd(`${this.prefix}parked`, id, String(id)).exec();
    return { ...input, id, parkedAt: new Date(at).toISOString() };
  }

  async parked(limit = 100): Promise<ParkedEvent[]> {
    const ids = (await this.redis.zrange(`${this.prefix}parked`, 0, limit - 1)).map(Number);
    const found = await Promise.all(ids.map((id) => this.parkedById(id)));
    return found.filter((p): p is ParkedEvent => p !== undefined);
  }

  async parkedById(id: number): Promise<ParkedEvent | undefined> {
    return parkedFrom(id, await this.redis.hgetall(`${this.prefix}p:${id}`));
  }

  async unpark(id: number): Promise<boolean> {
    const removed = await this.redis.zrem(`${this.prefix}parked`, String(id));
    if (removed === 0) return false;
    await this.redis.del(`${this.prefix}p:${id}`);
    return true;
  }
}
