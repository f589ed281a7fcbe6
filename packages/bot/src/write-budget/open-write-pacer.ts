import { connectRedis } from '@aegis/freeze';
import type { StoreConfig } from '@aegis/freeze';
import type { WriteWindow } from './write-budget.js';
import { MemoryWriteLedger } from './write-ledger.js';
import { RedisWriteLedger } from './redis-write-ledger.js';
import { WritePacer } from './write-pacer.js';

/**
 * The pacer of the app's writes: none without a budget; with `REDIS_URL` its ledger is in Redis (under the
 * stores' prefix), shared by every replica; otherwise in this process.
 */
export async function openWritePacer(
  budget: readonly WriteWindow[],
  stores: Pick<StoreConfig, 'redisUrl' | 'redisPrefix' | 'timeoutMs'>,
): Promise<WritePacer | undefined> {
  if (budget.length === 0) return undefined;
  if (!stores.redisUrl) return new WritePacer(new MemoryWriteLedger(), budget);
  const redis = await connectRedis(stores.redisUrl, stores.timeoutMs ? { timeoutMs: stores.timeoutMs } : {});
  return new WritePacer(new RedisWriteLedger(redis, stores.redisPrefix), budget);
}
