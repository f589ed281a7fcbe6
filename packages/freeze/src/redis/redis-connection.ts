import { Redis } from 'ioredis';
import { StoreUnavailableError } from '../errors.js';
import type { LuaScript } from './lua-scripts.js';

/** Options for the fail-fast Redis connection. */
export interface RedisConnectionOptions {
  /** Connect and per-command timeout (default 1000 ms). */
  timeoutMs?: number;
}

/**
 * Opens ioredis so that an unreachable Redis fails fast instead of queueing forever: no offline queue, one
 * retry per request, short connect/command timeouts; it keeps reconnecting in the background, so operations
 * work again as soon as the server is back.
 */
export async function connectRedis(url: string, options: RedisConnectionOptions = {}): Promise<Redis> {
  const timeout = options.timeoutMs ?? 1000;
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: timeout,
    commandTimeout: timeout,
    retryStrategy: (times) => Math.min(times * 100, 1000),
  });
  // Without a listener ioredis reports connection errors as unhandled 'error' events.
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    throw new StoreUnavailableError(`Redis unavailable at ${url}: ${String(err)}`, { cause: err });
  }
  return redis;
}

/** Maps connection-level failures to `StoreUnavailableError`; replies from the server pass through. */
export function wrapRedisError(err: unknown): unknown {
  if (err instanceof Error && err.name === 'ReplyError') return err;
  return new StoreUnavailableError(`Redis unavailable: ${err instanceof Error ? err.message : String(err)}`, {
    cause: err,
  });
}

/** Runs a named script by EVALSHA (one round trip), loading it with EVAL when the server does not know it. */
export function runScript<T>(redis: Redis, script: LuaScript, keys: string[], args: (string | number)[]): Promise<T> {
  // No async wrapper on the hot path: the write-permission check is one EVALSHA and little else.
  return (redis.evalsha(script.sha, keys.length, ...keys, ...args) as Promise<T>).catch((err: unknown) => {
    if (!(err instanceof Error) || !err.message.includes('NOSCRIPT')) throw wrapRedisError(err);
    return (redis.eval(script.lua, keys.length, ...keys, ...args) as Promise<T>).catch((e: unknown) => {
      throw wrapRedisError(e);
    });
  });
}

/** Runs a plain command with the same error mapping. */
export async function redisCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw wrapRedisError(err);
  }
}
