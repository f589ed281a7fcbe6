import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '@aegis/freeze';
import { MemoryWriteLedger } from './write-ledger.js';
import type { WriteLedger } from './write-ledger.js';
import { RedisWriteLedger } from './redis-write-ledger.js';
import { WritePacer } from './write-pacer.js';

const BUDGET = [{ limit: 3, windowMs: 400 }];

/** The most of `times` inside any `windowMs`. */
function busiest(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while ((sorted[j] ?? 0) - (sorted[i] ?? 0) >= windowMs) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

describe('MemoryWriteLedger', () => {
  it('records a write that fits, and answers how long the next must wait', async () => {
    let now = 1_000;
    const ledger = new MemoryWriteLedger(() => now);
    for (let i = 0; i < 3; i++) {
      expect(await ledger.reserve('77', BUDGET, `w${i}`)).toBe(0);
      await ledger.settle('77', `w${i}`);
    }
    expect(await ledger.reserve('77', BUDGET, 'w3')).toBe(401);
    expect(await ledger.reserve('78', BUDGET, 'w4')).toBe(0);
    now += 401;
    expect(await ledger.reserve('77', BUDGET, 'w5')).toBe(0);
  });

  it('counts a write from its answer: one answered late holds its slot a window past the answer', async () => {
    let now = 1_000;
    const ledger = new MemoryWriteLedger(() => now);
    for (let i = 0; i < 3; i++) expect(await ledger.reserve('77', BUDGET, `w${i}`)).toBe(0);
    // Still in flight a second later: it may reach GitHub any moment, so the window is full.
    now += 1_000;
    expect(await ledger.reserve('77', BUDGET, 'late')).toBe(401);
    for (let i = 0; i < 3; i++) await ledger.settle('77', `w${i}`);
    now += 300;
    expect(await ledger.reserve('77', BUDGET, 'late')).toBe(101);
    now += 101;
    expect(await ledger.reserve('77', BUDGET, 'late')).toBe(0);
  });
});

describe('WritePacer counters (read by /metrics)', () => {
  it('counts a write as waiting while its budget has no room, and what it waited once through', async () => {
    let now = 1_000;
    const seen: number[] = [];
    const pacer = new WritePacer(new MemoryWriteLedger(() => now), [{ limit: 1, windowMs: 400 }], async (ms) => {
      seen.push(pacer.counters.waiting);
      now += ms;
      await Promise.resolve();
    });
    await (
      await pacer.acquire('77')
    )();
    expect(pacer.counters.waiting).toBe(0);
    const second = pacer.acquire('77');
    expect(pacer.counters.waiting).toBe(1);
    await (
      await second
    )();
    // The second write slept once (the first still held the window), counted as waiting meanwhile.
    expect(seen).toEqual([1]);
    expect(pacer.counters).toMatchObject({ writes: 2, waiting: 0 });
  });
});

describe('RedisWriteLedger: two replicas pace one installation together', () => {
  let redis: Redis[];
  const prefix = `aegis-test-writes-${process.pid}-${randomBytes(4).toString('hex')}:`;
  beforeAll(async () => {
    redis = [await connectRedis('redis://127.0.0.1:6379'), await connectRedis('redis://127.0.0.1:6379')];
  });
  afterAll(async () => {
    const keys = await redis[0]!.keys(`${prefix}*`);
    if (keys.length > 0) await redis[0]!.del(...keys);
    for (const r of redis) await r.quit();
  });

  it('30 writes from two pacers: never more than the budget in any window (by the times Redis recorded)', async () => {
    const ledgers: WriteLedger[] = redis.map((r) => new RedisWriteLedger(r, prefix));
    // A long second window keeps every write in the set, so all thirty times can be checked.
    const pacers = ledgers.map((l) => new WritePacer(l, [...BUDGET, { limit: 1000, windowMs: 60_000 }]));
    await Promise.all(Array.from({ length: 30 }, async (_, i) => (await pacers[i % 2]!.acquire('77'))()));
    const recorded = await redis[0]!.zrange(`${prefix}writes:77`, 0, -1, 'WITHSCORES');
    const times = recorded.filter((_, i) => i % 2 === 1).map(Number);
    expect(times).toHaveLength(30);
    expect(busiest(times, BUDGET[0]!.windowMs)).toBeLessThanOrEqual(3);
    expect(pacers[0]!.counters.writes + pacers[1]!.counters.writes).toBe(30);
  });
});
