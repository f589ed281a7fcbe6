/**
 * Child-process worker for the multi-process tests (run with `node --import tsx worker.ts <mode>`), configured
 * by the AEGIS_WORKER JSON env var: `{ databaseUrl } | { redisUrl, redisPrefix } | { dataDir }` plus mode options.
 * Writes its results as one JSON line on stdout.
 */
import { Redis } from 'ioredis';
import { LockConflictError } from '../errors.js';
import { FreezeService } from '../freeze-service.js';
import { openStores } from '../open-stores.js';
import { connectRedis } from '../redis/redis-connection.js';
import { RedisStateStore } from '../redis/redis-state-store.js';
import { PgClient } from '../sql/pg-client.js';
import { SqlStateStore } from '../sql/sql-state-store.js';
import type { StateStore } from '../state-store.js';
import type { LockTarget } from '../types.js';
import { MemoryAuditLog } from './memory-audit-log.js';

interface WorkerConfig {
  databaseUrl?: string;
  redisUrl?: string;
  redisPrefix?: string;
  dataDir?: string;
  repo: string;
  branch: string;
  attempts?: number;
  /** Redis key of the global sequence that orders the holder log across processes. */
  seqKey?: string;
  switchLockTtlMs?: number;
}

/** The overlapping targets the lock workers pick from (index = target id in the holder log). */
export const TARGETS: LockTarget[] = [
  { scope: 'BRANCH' },
  { scope: 'RESOURCE_TYPE', resourceType: 'schema' },
  { scope: 'RESOURCE', resourceType: 'schema', resourceId: 'a' },
  { scope: 'RESOURCE', resourceType: 'schema', resourceId: 'b' },
  { scope: 'RESOURCE_TYPE', resourceType: 'other' },
  { scope: 'RESOURCE', resourceType: 'other', resourceId: 'x' },
];

async function openState(cfg: WorkerConfig): Promise<{ state: StateStore; close: () => Promise<void> }> {
  if (cfg.redisUrl) {
    const state = new RedisStateStore(await connectRedis(cfg.redisUrl), cfg.redisPrefix);
    return { state, close: () => state.close() };
  }
  const sql = new PgClient({ connectionString: cfg.databaseUrl ?? '' });
  return { state: new SqlStateStore(sql), close: () => sql.close() };
}

/** Acquire/release attempts on random overlapping targets; logs [token, target, seqAfterAcquire, seqBeforeRelease]. */
async function locks(cfg: WorkerConfig): Promise<unknown> {
  const { state, close } = await openState(cfg);
  const freeze = new FreezeService(state, new MemoryAuditLog());
  const seq = new Redis(cfg.redisUrl ?? 'redis://127.0.0.1:6379');
  const ref = { repo: cfg.repo, branch: cfg.branch };
  const log: [number, number, number, number][] = [];
  let conflicts = 0;
  let lostReleases = 0;
  for (let i = 0; i < (cfg.attempts ?? 2500); i++) {
    const t = Math.floor(Math.random() * TARGETS.length);
    const target = TARGETS[t] as LockTarget;
    try {
      const { lock } = await freeze.acquireLock(
        { ...ref, ...target, holder: `w${process.pid}`, reason: 'load', ttlMs: 60_000 },
        { actor: 'w' },
      );
      const s1 = await seq.incr(cfg.seqKey ?? 'seq');
      const s2 = await seq.incr(cfg.seqKey ?? 'seq');
      log.push([lock.token, t, s1, s2]);
      await freeze.releaseLock(lock, { actor: 'w' }).catch(() => (lostReleases += 1));
    } catch (err) {
      if (!(err instanceof LockConflictError)) throw err;
      conflicts += 1;
    }
  }
  seq.disconnect();
  await close();
  return { log, conflicts, lostReleases };
}

/** Builds and switches shadows forever, announcing each switch just before it starts (the parent kills it). */
async function switches(cfg: WorkerConfig): Promise<never> {
  const { state } = await openState(cfg);
  const freeze = new FreezeService(state, new MemoryAuditLog());
  const ref = { repo: cfg.repo, branch: cfg.branch };
  for (;;) {
    const old = (await freeze.shadow.pointer(ref, 'search')).active;
    const { shadow } = await freeze.shadow.start(
      { ...ref, indexType: 'search', resourceTypes: ['schema'], treeHash: 't' },
      { actor: 'w' },
    );
    await freeze.shadow.complete(shadow.id, { recordCount: 10, sizeBytes: 100 }, { actor: 'w' });
    process.stdout.write(`SWITCH ${old ?? '-'} ${shadow.id}\n`);
    await freeze.shadow.switch(shadow.id, { currentTreeHash: 't' }, { actor: 'w' });
  }
}

/** Switches one build in, then stops inside the next switch (SWITCHING, switch locks held) until killed. */
async function switchHang(cfg: WorkerConfig): Promise<never> {
  const { state } = await openState(cfg);
  const freeze = new FreezeService(state, new MemoryAuditLog(), { switchLockTtlMs: cfg.switchLockTtlMs ?? 10_000 });
  const ref = { repo: cfg.repo, branch: cfg.branch };
  const build = async (): Promise<string> => {
    const input = { ...ref, indexType: 'search', resourceTypes: ['schema'], treeHash: 't' };
    const { shadow } = await freeze.shadow.start(input, { actor: 'w' });
    await freeze.shadow.complete(shadow.id, { recordCount: 10, sizeBytes: 100 }, { actor: 'w' });
    return shadow.id;
  };
  const first = await build();
  await freeze.shadow.switch(first, { currentTreeHash: 't' }, { actor: 'w' });
  const second = await build();
  let reads = 0;
  const hang = (): Promise<string> => {
    if (++reads === 1) return Promise.resolve('t');
    process.stdout.write(`IN-SWITCH ${first} ${second}\n`);
    return new Promise<string>(() => undefined);
  };
  await freeze.shadow.switch(second, { currentTreeHash: hang }, { actor: 'w' });
  throw new Error('the switch was meant to hang');
}

/** Leaves a lock, a state and audit in an embedded data directory, then exits. */
async function embedded(cfg: WorkerConfig): Promise<unknown> {
  const stores = await openStores({ dataDir: cfg.dataDir ?? '.aegis' });
  const freeze = new FreezeService(stores.state, stores.audit);
  const ref = { repo: cfg.repo, branch: cfg.branch };
  const { lock } = await freeze.acquireLock(
    {
      ...ref,
      scope: 'RESOURCE',
      resourceType: 'schema',
      resourceId: 'users',
      holder: 'pr#1',
      reason: 'kept',
      ttlMs: 3_600_000,
    },
    { actor: 'w', issue: '#5' },
  );
  const other = { ...ref, branch: `${cfg.branch}-indexing` };
  await freeze.lockForIndexing({ ...other, holder: 'funnel', ttlMs: 3_600_000 }, { actor: 'w', issue: '#5' });
  await stores.close();
  return { lock };
}

const cfg = JSON.parse(process.env['AEGIS_WORKER'] ?? '{}') as WorkerConfig;
const mode = process.argv[2];
const MODES: Record<string, (cfg: WorkerConfig) => Promise<unknown>> = {
  locks,
  switch: switches,
  'switch-hang': switchHang,
  embedded,
};
const run = MODES[mode ?? ''] ?? embedded;
run(cfg).then(
  (out) => process.stdout.write(`${JSON.stringify(out)}\n`),
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exitCode = 1;
  },
);
