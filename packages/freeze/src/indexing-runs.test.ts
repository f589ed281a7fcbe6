import { describe, expect, it } from 'vitest';
import { IllegalShadowStateError, InvalidRequestError, NotLockHolderError } from './errors.js';
import { uniqueRef, waitFor } from './test-support/backends.js';
import { BACKENDS, admin, funnel, useFreeze } from './test-support/suite.js';

type Ref = { repo: string; branch: string };

/** Issue 16 items 4–5 and issue 14 item 6: heartbeats, repeated starts, fenced ends, ARCHIVED, READY timeout. */
describe.each(BACKENDS)('indexing runs on %s', (backend) => {
  const { freeze } = useFreeze(backend, { readyTimeoutMs: 1500 });
  const start = (ref: Ref, extra: { ttlMs?: number; indexingId?: string; holder?: string } = {}) =>
    freeze().lockForIndexing({ ...ref, holder: 'funnel-service', indexingId: 'idx-1', ...extra }, funnel);

  it('the holder renews its indexing lock past its TTL with its fencing token; a stale holder cannot', async () => {
    const ref = uniqueRef();
    const token = (await start(ref, { ttlMs: 2000 })).lock?.token ?? -1;
    const caller = 'funnel-service';
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const beat = await freeze().heartbeatIndexing(ref, { token, caller });
      expect(beat.expiresAt).toBeGreaterThan(beat.heartbeatAt);
    }
    // 2.5 s after start, past the 2 s TTL: still frozen because the holder kept beating.
    expect(await freeze().getBranchState(ref)).toMatchObject({ state: 'LOCKED_FOR_WRITE' });
    await expect(freeze().heartbeatIndexing(ref, { token: token + 1000, caller })).rejects.toBeInstanceOf(
      NotLockHolderError,
    );
    await expect(freeze().heartbeatIndexing(ref, { indexingId: 'idx-old', caller })).rejects.toBeInstanceOf(
      NotLockHolderError,
    );
    await expect(freeze().heartbeatIndexing(ref, { token, caller: 'other' })).rejects.toBeInstanceOf(
      NotLockHolderError,
    );
    await expect(freeze().heartbeatIndexing(ref, { caller })).rejects.toBeInstanceOf(InvalidRequestError);
    // Once the lock is gone (expired) and another run started, the old holder's token is stale.
    await waitFor(async () => (await freeze().getBranchState(ref)).state === 'ACTIVE', 3000);
    const next = await start(ref, { indexingId: 'idx-2' });
    expect(next.lock?.token).toBeGreaterThan(token);
    await expect(freeze().heartbeatIndexing(ref, { token, caller })).rejects.toBeInstanceOf(NotLockHolderError);
  });

  it('a start sent again by the same holder renews its own lock instead of conflicting with it', async () => {
    const ref = uniqueRef();
    const first = await start(ref, { ttlMs: 60_000 });
    const again = await start(ref, { ttlMs: 120_000 });
    expect(again).toMatchObject({ repeated: true, to: 'LOCKED_FOR_WRITE', audit: [] });
    expect(again.lock).toMatchObject({ id: first.lock?.id, token: first.lock?.token });
    expect(again.lock?.expiresAt).toBeGreaterThan(first.lock?.expiresAt ?? Infinity);
    expect((await freeze().getBranchState(ref)).locks).toHaveLength(1);
    // Another run (another id or holder) still conflicts.
    await expect(start(ref, { indexingId: 'idx-9' })).rejects.toThrow();
    await expect(start(ref, { holder: 'other-indexer' })).rejects.toThrow();
  });

  it('completion and failure name their run; only its holder ends it, or an admin, audited as an override', async () => {
    const ref = uniqueRef();
    const { lock } = await start(ref);
    const token = lock?.token ?? 0;
    const end = (opts: Parameters<ReturnType<typeof freeze>['completeIndexing']>[2]) =>
      freeze().completeIndexing(ref, funnel, opts);
    await expect(end({ caller: 'funnel-service' })).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(end({ caller: 'funnel-service', indexingId: 'idx-x' })).rejects.toBeInstanceOf(NotLockHolderError);
    await expect(end({ caller: 'funnel-service', token: token + 1 })).rejects.toBeInstanceOf(NotLockHolderError);
    await expect(end({ caller: 'intruder', indexingId: 'idx-1' })).rejects.toBeInstanceOf(NotLockHolderError);
    await expect(freeze().failIndexing(ref, 'x', funnel, { caller: 'intruder', token })).rejects.toBeInstanceOf(
      NotLockHolderError,
    );
    // Writes stay frozen while the real indexer is still indexing.
    expect((await freeze().checkWrite(ref, ['schema:users'])).allowed).toBe(false);
    const done = await end({ caller: 'funnel-service', token });
    expect(done).toMatchObject({ from: 'LOCKED_FOR_WRITE', to: 'READY' });

    const other = uniqueRef();
    await start(other);
    const ended = await freeze().failIndexing(other, 'indexer lost', admin, {
      caller: 'admin',
      admin: true,
      indexingId: 'idx-1',
    });
    expect(ended.audit[0]).toMatchObject({
      action: 'indexing.failed',
      actor: 'admin',
      reason: 'indexer lost (ended by admin admin for funnel-service)',
      new: { state: 'ERROR', override: true },
    });
  });

  it('a deleted branch is ARCHIVED: locks released, shadow builds cancelled, audited once', async () => {
    const ref = uniqueRef();
    await start(ref);
    const { shadow } = await freeze().shadow.start(
      { ...ref, indexType: 'SEARCH_INDEX', resourceTypes: ['schema'], treeHash: 't' },
      funnel,
    );
    const out = await freeze().archiveBranch(ref, 'branch deleted by dev-a', admin);
    expect(out).toMatchObject({ archived: true, cancelled: [shadow.id], affected: ['*'] });
    expect(out.released.map((l) => l.kind)).toEqual(['INDEXING']);
    expect(out.status).toMatchObject({ state: 'ARCHIVED', locks: [] });
    expect(out.audit[0]).toMatchObject({ action: 'branch.archived', reason: 'branch deleted by dev-a' });
    expect(out.audit.map((r) => [r.action, r.resourceId])).toEqual([
      ['branch.archived', ref.branch],
      ['shadow.cancelled', shadow.id],
    ]);
    expect((await freeze().shadow.status(shadow.id)).state).toBe('CANCELLED');
    await expect(freeze().shadow.progress(shadow.id, { progressPercent: 10 })).rejects.toBeInstanceOf(
      IllegalShadowStateError,
    );
    const again = await freeze().archiveBranch(ref, 'delete delivered twice', admin);
    expect(again).toMatchObject({ archived: false, audit: [], status: { state: 'ARCHIVED' } });
  });

  it('READY times out back to ACTIVE after the configured period', async () => {
    const ref = uniqueRef();
    const { lock } = await start(ref);
    await freeze().completeIndexing(ref, funnel, { caller: 'funnel-service', token: lock?.token ?? 0 });
    expect((await freeze().getBranchState(ref)).state).toBe('READY');
    await waitFor(async () => (await freeze().getBranchState(ref)).state === 'ACTIVE', 5000);
    expect(await freeze().getBranchState(ref)).toMatchObject({ state: 'ACTIVE', reason: 'READY timed out' });
    expect((await freeze().listBranches(ref.repo)).find((b) => b.branch === ref.branch)?.state).toBe('ACTIVE');
    expect((await start(ref, { indexingId: 'idx-2' })).from).toBe('ACTIVE');
  });
});
