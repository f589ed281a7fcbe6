import { describe, expect, it } from 'vitest';
import type { FreezeService } from './freeze-service.js';
import { uniqueRef } from './test-support/backends.js';
import { BACKENDS, admin, dev, funnel, useFreeze } from './test-support/suite.js';

type Ref = { repo: string; branch: string };

async function built(freeze: FreezeService, ref: Ref, treeHash: string, sizeBytes = 52_428_800): Promise<string> {
  const { shadow } = await freeze.shadow.start(
    { ...ref, indexType: 'SEARCH_INDEX', resourceTypes: ['object_type', 'link_type'], treeHash },
    funnel,
  );
  await freeze.shadow.complete(shadow.id, { recordCount: 10_000, sizeBytes }, funnel);
  return shadow.id;
}

/** Issue 16 items 1–3: a stale index never switches in, FAILED frees what a build holds, switches are verified. */
describe.each(BACKENDS)('shadow switch safety on %s', (backend) => {
  const { freeze } = useFreeze(backend);

  it('runs INTEGRITY_CHECK although the seed example names only the other two; a forced switch is audited as forced', async () => {
    const ref = uniqueRef();
    const id = await built(freeze(), ref, 'tree-before-main-moved');
    const seedChecks = ['RECORD_COUNT_VALIDATION', 'SIZE_COMPARISON'] as const;
    const out = await freeze().shadow.switch(id, { currentTreeHash: 'tree-after', checks: [...seedChecks] }, dev);
    expect(out).toMatchObject({ switched: false, validationPassed: false });
    expect(out.checks.map((c) => c.check)).toEqual([...seedChecks, 'INTEGRITY_CHECK']);
    expect(out.errors).toEqual(['INTEGRITY_CHECK: stale: built from tree-before-main-moved, branch is at tree-after']);
    expect((await freeze().shadow.pointer(ref, 'SEARCH_INDEX')).active).toBeNull();

    const forced = await freeze().shadow.switch(
      id,
      { currentTreeHash: 'tree-after', checks: [...seedChecks], force: true },
      admin,
    );
    expect(forced).toMatchObject({ switched: true, forced: true, validationPassed: false });
    expect(forced.audit[0]).toMatchObject({
      action: 'shadow.force-switched',
      actor: 'admin',
      reason: 'forced past INTEGRITY_CHECK: stale: built from tree-before-main-moved, branch is at tree-after',
    });
  });

  it('answers the post-switch verification: index accessible, verification passed, size change', async () => {
    const ref = uniqueRef();
    const first = await built(freeze(), ref, 't', 50_000_000);
    const one = await freeze().shadow.switch(first, { currentTreeHash: 't' }, dev);
    expect(one.verification).toMatchObject({ indexAccessible: true, verificationPassed: true, sizeChangeBytes: null });
    const second = await built(freeze(), ref, 't', 55_242_880);
    const two = await freeze().shadow.switch(second, { currentTreeHash: 't' }, dev);
    expect(two).toMatchObject({ switched: true, validationPassed: true, rolledBack: false });
    expect(two.verification).toEqual({
      indexAccessible: true,
      verificationPassed: true,
      sizeBeforeBytes: 50_000_000,
      sizeAfterBytes: 55_242_880,
      sizeChangeBytes: 5_242_880,
      errors: [],
    });
    // The record is written with the swap, before the verification: it names the swap.
    expect(two.audit.map((r) => r.action)).toEqual(['shadow.switched']);
    expect(two.audit[0]?.new).toMatchObject({ active: second, forced: false });
  });

  it('rolls the pointer back when the verification fails (the indexing service cannot reach the new index)', async () => {
    const ref = uniqueRef();
    const first = await built(freeze(), ref, 't');
    await freeze().shadow.switch(first, { currentTreeHash: 't' }, dev);
    const second = await built(freeze(), ref, 't');
    const probed: string[] = [];
    const out = await freeze().shadow.switch(
      second,
      {
        currentTreeHash: 't',
        probe: async (shadow) => {
          probed.push(shadow.id);
          return { accessible: false, detail: 'search cluster answers 503 for the new index' };
        },
      },
      dev,
    );
    expect(probed).toEqual([second]);
    expect(out).toMatchObject({ switched: false, rolledBack: true, validationPassed: true });
    expect(out.verification).toMatchObject({ indexAccessible: false, verificationPassed: false });
    expect(out.errors).toEqual(['index not accessible: search cluster answers 503 for the new index']);
    expect((await freeze().shadow.pointer(ref, 'SEARCH_INDEX')).active).toBe(first);
    expect((await freeze().shadow.status(first)).state).toBe('ACTIVE');
    expect(await freeze().shadow.status(second)).toMatchObject({ state: 'FAILED' });
    // Two steps, each with its record: the swap, then the swap back (carrying the failed verification).
    expect(out.audit.map((r) => r.action)).toEqual(['shadow.switched', 'shadow.switch-rolled-back']);
    expect(out.audit[1]?.new).toMatchObject({ active: first, verification: { verificationPassed: false } });
    expect(out.status.locks).toEqual([]);
    // The slot is free again: the next build of the index type starts.
    expect((await built(freeze(), ref, 't')).startsWith('shadow-')).toBe(true);
  });

  it('FAILED is reachable mid-switch: the build releases its switch locks and its slot, audited', async () => {
    const ref = uniqueRef();
    const id = await built(freeze(), ref, 't');
    // The switch reads the tree hash twice: for the checks, then under its lock — where it waits for us.
    let release: (hash: string) => void = () => undefined;
    let entered: () => void = () => undefined;
    const underLock = new Promise<void>((r) => (entered = r));
    const hashes = [Promise.resolve('t'), new Promise<string>((r) => (release = r))];
    const switching = freeze().shadow.switch(
      id,
      {
        currentTreeHash: () => {
          if (hashes.length === 1) entered();
          return hashes.shift() as Promise<string>;
        },
      },
      dev,
    );
    await underLock;
    expect((await freeze().getBranchState(ref)).locks.map((l) => l.kind)).toEqual(['SWITCH', 'SWITCH']);
    const failed = await freeze().shadow.fail(id, 'indexer crashed while switching', funnel);
    expect(failed.shadow).toMatchObject({ state: 'FAILED', error: 'indexer crashed while switching' });
    expect(failed.audit[0]).toMatchObject({ action: 'shadow.failed', reason: 'indexer crashed while switching' });
    expect((failed.audit[0]?.new as { releasedLocks: string[] }).releasedLocks).toHaveLength(2);
    expect((await freeze().getBranchState(ref)).locks).toEqual([]);
    release('t');
    expect(await switching).toMatchObject({ switched: false });
    expect((await freeze().shadow.pointer(ref, 'SEARCH_INDEX')).active).toBeNull();
    expect((await freeze().shadow.status(id)).state).toBe('FAILED');
    expect((await built(freeze(), ref, 't')).startsWith('shadow-')).toBe(true);
  });
});
