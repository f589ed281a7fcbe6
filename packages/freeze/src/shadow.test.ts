import { describe, expect, it } from 'vitest';
import { IllegalShadowStateError, LockConflictError, ShadowNotFoundError } from './errors.js';
import type { FreezeService } from './freeze-service.js';
import { uniqueRef } from './test-support/backends.js';
import { BACKENDS, admin, dev, funnel, useFreeze } from './test-support/suite.js';

type Ref = { repo: string; branch: string };

async function built(
  freeze: FreezeService,
  ref: Ref,
  treeHash: string,
  size = { recordCount: 10_000, sizeBytes: 52_428_800 },
): Promise<string> {
  const { shadow } = await freeze.shadow.start(
    { ...ref, indexType: 'search', resourceTypes: ['schema'], treeHash },
    funnel,
  );
  await freeze.shadow.complete(shadow.id, size, funnel);
  return shadow.id;
}

describe.each(BACKENDS)('shadow index on %s', (backend) => {
  const { freeze } = useFreeze(backend);

  it('builds while writes go on, then switches under a RESOURCE_TYPE lock held only for the switch', async () => {
    const ref = uniqueRef();
    const { shadow } = await freeze().shadow.start(
      { ...ref, indexType: 'search', resourceTypes: ['schema'], treeHash: 'tree-1' },
      funnel,
    );
    expect(shadow.state).toBe('PREPARING');
    const p = await freeze().shadow.progress(shadow.id, { progressPercent: 65, etaSeconds: 420, recordCount: 6500 });
    expect(p).toMatchObject({ state: 'BUILDING', progressPercent: 65, etaSeconds: 420, recordCount: 6500 });
    // Writes go on during the build: no lock anywhere.
    expect(await freeze().checkWrite(ref, ['schema:users'])).toEqual({ allowed: true, state: 'ACTIVE' });
    const edit = await freeze().acquireLock(
      { ...ref, scope: 'RESOURCE', resourceType: 'schema', resourceId: 'users', holder: 'pr#3', reason: 'edit' },
      dev,
    );
    await freeze().releaseLock(edit.lock, dev);
    const board = await freeze().dashboard('acme/registry');
    expect(board.shadows.find((s) => s.id === shadow.id)).toMatchObject({
      state: 'BUILDING',
      progressPercent: 65,
      etaSeconds: 420,
    });
    expect(board.recentAudit.some((r) => r.action === 'lock.released' && r.branch === ref.branch)).toBe(true);
    expect(board.totals.shadowsInFlight).toBeGreaterThanOrEqual(1);
    const extrapolated = await freeze().shadow.progress(shadow.id, { progressPercent: 80 });
    expect(extrapolated.etaSeconds).toBeGreaterThanOrEqual(0);
    await freeze().shadow.complete(shadow.id, { recordCount: 10_000, sizeBytes: 52_428_800 }, funnel);
    expect(await freeze().shadow.status(shadow.id)).toMatchObject({
      state: 'BUILT',
      switchReady: true,
      progressPercent: 100,
    });

    const out = await freeze().shadow.switch(shadow.id, { currentTreeHash: 'tree-1' }, dev);
    expect(out).toMatchObject({ switched: true, forced: false, errors: [], affected: ['schema:*'] });
    expect(out.checks.map((c) => [c.check, c.passed])).toEqual([
      ['RECORD_COUNT_VALIDATION', true],
      ['SIZE_COMPARISON', true],
      ['INTEGRITY_CHECK', true],
    ]);
    expect(out.switchDurationMs).toBeLessThan(10_000);
    expect(out.pointer).toMatchObject({ active: shadow.id, previous: null });
    expect(out.shadow.state).toBe('ACTIVE');
    expect(out.status.locks).toEqual([]);
    expect(out.audit[0]?.action).toBe('shadow.switched');
  });

  it('keeps the previous index for rollback', async () => {
    const ref = uniqueRef();
    const first = await built(freeze(), ref, 'tree-1');
    await freeze().shadow.switch(first, { currentTreeHash: 'tree-1' }, dev);
    const second = await built(freeze(), ref, 'tree-2', { recordCount: 11_000, sizeBytes: 60_000_000 });
    const out = await freeze().shadow.switch(second, { currentTreeHash: 'tree-2' }, dev);
    expect(out.pointer).toMatchObject({ active: second, previous: first });
    expect((await freeze().shadow.status(first)).state).toBe('CLEANUP');
    const back = await freeze().shadow.rollback(ref, 'search', admin);
    expect(back).toMatchObject({ switched: true, pointer: { active: first, previous: second } });
    expect((await freeze().shadow.status(first)).state).toBe('ACTIVE');
    expect((await freeze().shadow.status(second)).state).toBe('CLEANUP');
    expect(back.audit[0]?.action).toBe('shadow.rolled-back');
    await expect(freeze().shadow.rollback(uniqueRef(), 'search', admin)).rejects.toBeInstanceOf(
      IllegalShadowStateError,
    );
  });

  it('refuses a stale shadow (INTEGRITY_CHECK) and leaves the pointer alone; force switches it', async () => {
    const ref = uniqueRef();
    const id = await built(freeze(), ref, 'tree-old');
    const out = await freeze().shadow.switch(id, { currentTreeHash: 'tree-new' }, dev);
    expect(out.switched).toBe(false);
    expect(out.errors).toEqual(['INTEGRITY_CHECK: stale: built from tree-old, branch is at tree-new']);
    expect(out.audit[0]?.action).toBe('shadow.switch-refused');
    expect((await freeze().shadow.pointer(ref, 'search')).active).toBeNull();
    expect((await freeze().shadow.status(id)).state).toBe('BUILT');
    const forced = await freeze().shadow.switch(id, { currentTreeHash: 'tree-new', force: true }, admin);
    expect(forced).toMatchObject({ switched: true, forced: true, validationPassed: false });
    expect(forced.checks.find((c) => c.check === 'INTEGRITY_CHECK')?.passed).toBe(false);
  });

  it('re-reads the tree hash under the switch lock: a change merged after the checks refuses the switch', async () => {
    const ref = uniqueRef();
    const id = await built(freeze(), ref, 'tree-1');
    const heads = ['tree-1', 'tree-2'];
    let reads = 0;
    // The first read (the checks) sees the build's tree; the second (under the lock) sees a new merge.
    const out = await freeze().shadow.switch(
      id,
      { currentTreeHash: async () => heads[Math.min(reads++, 1)] as string },
      dev,
    );
    expect(reads).toBe(2);
    expect(out).toMatchObject({
      switched: false,
      errors: ['INTEGRITY_CHECK: branch moved to tree-2 during the switch; built from tree-1'],
    });
    expect(out.status.locks).toEqual([]);
    expect((await freeze().shadow.status(id)).state).toBe('BUILT');
    expect((await freeze().shadow.pointer(ref, 'search')).active).toBeNull();
    const ok = await freeze().shadow.switch(id, { currentTreeHash: async () => 'tree-1' }, dev);
    expect(ok.switched).toBe(true);
  });

  it('checks record count and size against the current index with the tolerance', async () => {
    const ref = uniqueRef();
    const empty = await built(freeze(), ref, 't', { recordCount: 0, sizeBytes: 1000 });
    const r1 = await freeze().shadow.switch(empty, { currentTreeHash: 't' }, dev);
    expect(r1.errors).toEqual(['RECORD_COUNT_VALIDATION: no records in shadow index']);
    await freeze().shadow.cancel(empty, 'empty', dev);
    const base = await built(freeze(), ref, 't', { recordCount: 100, sizeBytes: 1000 });
    await freeze().shadow.switch(base, { currentTreeHash: 't' }, dev);
    const big = await built(freeze(), ref, 't', { recordCount: 100, sizeBytes: 1700 });
    const r2 = await freeze().shadow.switch(big, { currentTreeHash: 't', sizeTolerance: 0.5 }, dev);
    expect(r2.errors).toEqual(['SIZE_COMPARISON: 1000 → 1700 bytes (70.0 %, tolerance ±50 %)']);
    const r3 = await freeze().shadow.switch(big, { currentTreeHash: 't', sizeTolerance: 0.8 }, dev);
    expect(r3.switched).toBe(true);
  });

  it('allows one in-flight build per branch and index type; cancel frees the slot', async () => {
    const ref = uniqueRef();
    const input = { ...ref, indexType: 'search', resourceTypes: ['schema'], treeHash: 't' };
    const { shadow } = await freeze().shadow.start(input, funnel);
    const refused = await freeze()
      .shadow.start(input, funnel)
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(IllegalShadowStateError);
    expect(refused).toMatchObject({ message: `a search shadow build is already in flight on ${ref.branch}` });
    const graph = await freeze().shadow.start({ ...input, indexType: 'graph' }, funnel);
    expect(graph.shadow.state).toBe('PREPARING');
    const cancelled = await freeze().shadow.cancel(shadow.id, 'superseded', dev);
    expect(cancelled.shadow).toMatchObject({ state: 'CANCELLED', error: 'superseded' });
    await expect(freeze().shadow.progress(shadow.id, { progressPercent: 5 })).rejects.toBeInstanceOf(
      IllegalShadowStateError,
    );
    const late = await freeze()
      .shadow.complete(shadow.id, { recordCount: 1, sizeBytes: 1 }, funnel)
      .catch((error: unknown) => error);
    expect(late).toBeInstanceOf(IllegalShadowStateError);
    expect(late).toMatchObject({
      state: 'CANCELLED',
      message: `shadow ${shadow.id} is CANCELLED; expected PREPARING or BUILDING`,
    });
    await expect(freeze().shadow.switch(shadow.id, { currentTreeHash: 't' }, dev)).rejects.toBeInstanceOf(
      IllegalShadowStateError,
    );
    const again = await freeze().shadow.start(input, funnel);
    const listed = await freeze().shadow.list({ repo: ref.repo, branch: ref.branch });
    expect(listed.map((s) => s.id).sort()).toEqual([shadow.id, graph.shadow.id, again.shadow.id].sort());
    expect((await freeze().shadow.list({ branch: ref.branch, states: ['CANCELLED'] })).map((s) => s.id)).toEqual([
      shadow.id,
    ]);
    const failed = await freeze().shadow.fail(again.shadow.id, 'out of disk', funnel);
    expect(failed.shadow.state).toBe('FAILED');
    await expect(freeze().shadow.status('shadow-missing')).rejects.toBeInstanceOf(ShadowNotFoundError);
  });

  it('does not switch while a write lock holds one of its resource types', async () => {
    const ref = uniqueRef();
    const id = await built(freeze(), ref, 't');
    const edit = await freeze().acquireLock(
      { ...ref, scope: 'RESOURCE', resourceType: 'schema', resourceId: 'users', holder: 'pr#9', reason: 'migration' },
      dev,
    );
    await expect(freeze().shadow.switch(id, { currentTreeHash: 't' }, dev)).rejects.toBeInstanceOf(LockConflictError);
    expect((await freeze().shadow.status(id)).state).toBe('BUILT');
    expect((await freeze().shadow.pointer(ref, 'search')).active).toBeNull();
    await freeze().releaseLock(edit.lock, dev);
    expect((await freeze().shadow.switch(id, { currentTreeHash: 't' }, dev)).switched).toBe(true);
  });
});
