import { performance } from 'node:perf_hooks';
import {
  CHAIN_START,
  FreezeService,
  LockConflictError,
  type AuditLog,
  type AuditRecord,
  type LockTarget,
  type StateStore,
} from '@aegis/freeze';

/** Audit that stores nothing: the bench measures the state store, not the audit table. */
export const nullAudit: AuditLog = {
  append: async (input) => ({ ...input, id: 'x', at: new Date().toISOString() }) as AuditRecord,
  appendRecord: async () => true,
  query: async () => ({ records: [], nextCursor: null }),
  verify: async () => ({ ok: true, checked: 0, unchained: 0, head: CHAIN_START }),
  close: async () => undefined,
};

/** Percentile of a sample (nearest rank). */
export function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

/** Interleaved samples of the write-permission check and the backend's raw round trip (PING / SELECT 1). */
export async function checkVsFloor(
  freeze: FreezeService,
  floor: () => Promise<unknown>,
  rounds: number,
): Promise<{ check: number[]; floor: number[] }> {
  const ref = { repo: 'bench/registry', branch: 'check' };
  // A realistic branch: a few locks on other resources, so the check reads and evaluates them.
  for (const id of ['orders', 'payments', 'invoices']) {
    await freeze.acquireLock(
      {
        ...ref,
        scope: 'RESOURCE',
        resourceType: 'schema',
        resourceId: id,
        holder: 'bench',
        reason: 'bench',
        ttlMs: 600_000,
      },
      { actor: 'bench' },
    );
  }
  const check: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < 200; i++) await Promise.all([freeze.checkWrite(ref, ['schema:users']), floor()]); // warm-up
  // Alternate one floor and one check so both see the same machine load (the machine is shared).
  for (let i = 0; i < rounds * 50; i++) {
    const t0 = performance.now();
    await floor();
    const t1 = performance.now();
    await freeze.checkWrite(ref, ['schema:users', 'schema:roles']);
    check.push(performance.now() - t1);
    raw.push(t1 - t0);
  }
  return { check, floor: raw };
}

/** Shadow builds switched one after another; returns the lock-held switch windows in ms. */
export async function switchWindows(freeze: FreezeService, n: number): Promise<number[]> {
  const ref = { repo: 'bench/registry', branch: 'switch' };
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const { shadow } = await freeze.shadow.start(
      { ...ref, indexType: 'search', resourceTypes: ['schema'], treeHash: 't' },
      { actor: 'bench' },
    );
    await freeze.shadow.complete(shadow.id, { recordCount: 1000 + i, sizeBytes: 1_000_000 }, { actor: 'bench' });
    const r = await freeze.shadow.switch(shadow.id, { currentTreeHash: 't' }, { actor: 'bench' });
    if (!r.switched) throw new Error(`switch refused: ${r.errors.join('; ')}`);
    out.push(r.switchDurationMs);
  }
  return out;
}

// 0 BRANCH, 1 TYPE schema, 2 schema:a, 3 schema:b, 4 TYPE other, 5 other:x — and which of them conflict.
const TARGETS: LockTarget[] = [
  { scope: 'BRANCH' },
  { scope: 'RESOURCE_TYPE', resourceType: 'schema' },
  { scope: 'RESOURCE', resourceType: 'schema', resourceId: 'a' },
  { scope: 'RESOURCE', resourceType: 'schema', resourceId: 'b' },
  { scope: 'RESOURCE_TYPE', resourceType: 'other' },
  { scope: 'RESOURCE', resourceType: 'other', resourceId: 'x' },
];
const CONFLICTS = [
  [0, 1, 2, 3, 4, 5],
  [0, 1, 2, 3],
  [0, 1, 2],
  [0, 1, 3],
  [0, 4, 5],
  [0, 4, 5],
];

/**
 * `clients` concurrent clients (each its own store connection) × `attempts` acquire/release on overlapping
 * targets of one branch. Overlaps are counted from a holder log ordered by one in-process sequence.
 */
export async function contended(
  stores: StateStore[],
  attempts: number,
): Promise<{ overlaps: number; acquired: number; refused: number; opsPerSec: number }> {
  const ref = { repo: 'bench/registry', branch: 'contended' };
  let seq = 0;
  const log: [number, number, number][] = [];
  const t0 = performance.now();
  let refused = 0;
  await Promise.all(
    stores.map(async (store) => {
      const freeze = new FreezeService(store, nullAudit);
      for (let i = 0; i < attempts; i++) {
        const t = Math.floor(Math.random() * TARGETS.length);
        try {
          const { lock } = await freeze.acquireLock(
            { ...ref, ...(TARGETS[t] as LockTarget), holder: 'bench', reason: 'bench', ttlMs: 60_000 },
            { actor: 'bench' },
          );
          const s1 = ++seq;
          await new Promise((r) => setImmediate(r));
          log.push([t, s1, ++seq]);
          await freeze.releaseLock(lock, { actor: 'bench' });
        } catch (err) {
          if (!(err instanceof LockConflictError)) throw err;
          refused += 1;
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  log.sort((a, b) => a[1] - b[1]);
  let overlaps = 0;
  let active: [number, number, number][] = [];
  for (const e of log) {
    active = active.filter((a) => a[2] > e[1]);
    overlaps += active.filter((a) => CONFLICTS[a[0]]?.includes(e[0])).length;
    active.push(e);
  }
  return { overlaps, acquired: log.length, refused, opsPerSec: Math.round((stores.length * attempts) / seconds) };
}
