import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FreezeService } from './freeze-service.js';
import { deletePrefix, REDIS_URL } from './test-support/backends.js';
import { MemoryAuditLog } from './test-support/memory-audit-log.js';
import { runWorker, spawnWorker } from './test-support/spawn-worker.js';
import { useTestStores } from './test-support/suite.js';

const PROCESSES = 4;
const ATTEMPTS = 2500;

// Which of the workers' six targets conflict — written out independently of the rule module:
// 0 BRANCH, 1 TYPE schema, 2 schema:a, 3 schema:b, 4 TYPE other, 5 other:x.
const CONFLICTS: number[][] = [
  [0, 1, 2, 3, 4, 5],
  [0, 1, 2, 3],
  [0, 1, 2],
  [0, 1, 3],
  [0, 4, 5],
  [0, 4, 5],
];

type Entry = [token: number, target: number, s1: number, s2: number];

/** Pairs of conflicting holders whose [acquired, released] windows overlap in the global order. */
function overlaps(entries: Entry[]): number {
  const sorted = [...entries].sort((a, b) => a[2] - b[2]);
  let active: Entry[] = [];
  let count = 0;
  for (const e of sorted) {
    active = active.filter((a) => a[3] > e[2]);
    count += active.filter((a) => CONFLICTS[a[1]]?.includes(e[1])).length;
    active.push(e);
  }
  return count;
}

/**
 * Fencing: of two conflicting holders, the one whose window comes later must carry the larger token
 * (windows of conflicting holders are disjoint, so their order is the order of their locks).
 */
function tokenInversions(entries: Entry[]): number {
  const byRelease = [...entries].sort((a, b) => a[3] - b[3]);
  const byAcquire = [...entries].sort((a, b) => a[2] - b[2]);
  const maxReleased = CONFLICTS.map(() => 0);
  let i = 0;
  let bad = 0;
  for (const e of byAcquire) {
    for (; i < byRelease.length && (byRelease[i] as Entry)[3] < e[2]; i++) {
      const r = byRelease[i] as Entry;
      maxReleased[r[1]] = Math.max(maxReleased[r[1]] ?? 0, r[0]);
    }
    const before = Math.max(...(CONFLICTS[e[1]] ?? []).map((t) => maxReleased[t] ?? 0));
    if (e[0] <= before) bad += 1;
  }
  return bad;
}

describe.each(['postgres', 'redis'] as const)('multi-process locking on %s', (backend) => {
  const stores = useTestStores(backend);

  it(`${PROCESSES} processes × ${ATTEMPTS} acquire/release attempts on overlapping scopes never overlap`, async () => {
    const ref = { repo: 'acme/registry', branch: `load-${randomBytes(3).toString('hex')}` };
    const seqKey = `aegis-test:seq:${randomBytes(4).toString('hex')}`;
    const results = await Promise.all(
      Array.from({ length: PROCESSES }, () =>
        runWorker<{ log: Entry[]; conflicts: number; lostReleases: number }>('locks', {
          ...stores().env,
          ...ref,
          attempts: ATTEMPTS,
          seqKey,
        }),
      ),
    ).finally(() => deletePrefix(REDIS_URL, seqKey));
    const entries = results.flatMap((r) => r.log);
    const conflicts = results.reduce((n, r) => n + r.conflicts, 0);
    expect(entries.length + conflicts).toBe(PROCESSES * ATTEMPTS);
    // Enough holders that the overlap check means something (the rest were refused as conflicts).
    expect(entries.length).toBeGreaterThan(500);
    expect(conflicts).toBeGreaterThan(0);
    expect(overlaps(entries)).toBe(0);
    expect(tokenInversions(entries)).toBe(0);
    expect(new Set(entries.map((e) => e[0])).size).toBe(entries.length);
    expect(results.reduce((n, r) => n + r.lostReleases, 0)).toBe(0);
    expect((await stores().state.readBranch(ref)).locks).toEqual([]);
  });

  it('a process killed in the middle of a switch leaves the pointer old or new, never none', async () => {
    const freeze = new FreezeService(stores().state, new MemoryAuditLog());
    for (let round = 0; round < 2; round++) {
      const ref = { repo: 'acme/registry', branch: `kill-${round}-${randomBytes(3).toString('hex')}` };
      const child = spawnWorker('switch', { ...stores().env, ...ref });
      const killAt = 2 + round;
      const seen = await new Promise<{ old: string; next: string }>((resolve, reject) => {
        let buf = '';
        let n = 0;
        child.stdout?.on('data', (d: Buffer) => {
          buf += d.toString();
          const lines = buf.split('\n');
          buf = lines.pop() ?? '';
          for (const line of lines) {
            const [, old = '', next = ''] = line.split(' ');
            if (++n === killAt) {
              child.kill('SIGKILL');
              resolve({ old, next });
            }
          }
        });
        child.on('exit', (code) => reject(new Error(`switch worker exited early (${code})`)));
      });
      await new Promise((r) => child.once('exit', r));
      const pointer = await freeze.shadow.pointer(ref, 'search');
      expect(pointer.active).not.toBeNull();
      expect([seen.old, seen.next]).toContain(pointer.active);
      // The pointer and the shadow states move in one atomic step: whatever it points at is ACTIVE.
      expect((await stores().state.getShadow(pointer.active ?? ''))?.state).toBe('ACTIVE');
    }
  });
});
