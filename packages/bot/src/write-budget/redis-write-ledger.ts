import type { Redis } from 'ioredis';
import type { WriteWindow } from './write-budget.js';
import { IN_FLIGHT_MS } from './write-budget.js';
import type { WriteLedger } from './write-ledger.js';

/**
 * RESERVE_WRITE — KEYS: the installation's sorted set of write times (ms, Redis TIME). ARGV: a unique member,
 * how long a write counts as in flight (ms), then limit and window (ms) of each window. Drops writes older
 * than the longest window, then — as `writeWait` does, a write in flight waited for as if answered now —
 * returns the ms until one more write fits every window, or records it in flight and returns 0.
 */
export const RESERVE_WRITE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local flight = tonumber(ARGV[2])
local longest = 0
for i = 3, #ARGV, 2 do longest = math.max(longest, tonumber(ARGV[i + 1])) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - longest)
local wait = 0
for i = 3, #ARGV, 2 do
  local limit = tonumber(ARGV[i])
  local window = tonumber(ARGV[i + 1])
  local inside = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. (now - window), '+inf', 'WITHSCORES')
  local count = #inside / 2
  if count >= limit then
    local blocking = math.min(tonumber(inside[(count - limit) * 2 + 2]), now)
    wait = math.max(wait, blocking + window - now + 1)
  end
end
if wait == 0 then
  redis.call('ZADD', KEYS[1], now + flight, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], longest + flight)
end
return wait`;

/** SETTLE_WRITE — KEYS: the set RESERVE_WRITE records in. ARGV: the write's member. It counts from now. */
export const SETTLE_WRITE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])`;

/** A ledger in Redis: replicas sharing it pace an installation's writes together instead of each at full rate. */
export class RedisWriteLedger implements WriteLedger {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'aegis:',
  ) {}

  async reserve(installation: string, windows: readonly WriteWindow[], id: string): Promise<number> {
    const args = [id, IN_FLIGHT_MS, ...windows.flatMap((w) => [w.limit, w.windowMs])];
    return Number(await this.redis.eval(RESERVE_WRITE, 1, this.key(installation), ...args));
  }

  async settle(installation: string, id: string): Promise<void> {
    await this.redis.eval(SETTLE_WRITE, 1, this.key(installation), id);
  }

  private key(installation: string): string {
    return `${this.prefix}writes:${installation}`;
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
