import type { RunningBot } from '@aegis/bot';
import { adminQuery, databaseUrl } from '../helpers/postgres-admin.js';
import { Harness } from '../bot/harness.js';
import { PrivateRedis } from '../bot/private-redis.js';

/** The app on two replicas sharing a PostgreSQL database of their own and a private Redis. */
export interface TwoReplicas {
  h: Harness;
  second: RunningBot;
  close(): Promise<void>;
}

/** Starts the harness (replica one) and a second replica on shared stores; `close` drops them all. */
export async function startTwoReplicas(tag: string, env: NodeJS.ProcessEnv = {}): Promise<TwoReplicas> {
  const database = `aegis_${tag}_${process.pid}_${Date.now()}`;
  await adminQuery(`CREATE DATABASE ${database}`);
  const redis = await PrivateRedis.start();
  const h = await Harness.start({ REDIS_URL: redis.url, DATABASE_URL: databaseUrl(database), ...env });
  const second = await h.replica('b');
  return {
    h,
    second,
    close: async () => {
      await second.close();
      await h.close();
      await redis.stop();
      await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    },
  };
}
