import { describe, expect, it } from 'vitest';
import { parseAuditId } from './domain/audit-id.js';
import { IllegalTransitionError, InvalidRequestError, LockConflictError, NotLockHolderError } from './errors.js';
import { uniqueRef, waitFor } from './test-support/backends.js';
import { BACKENDS, admin, dev, funnel, useFreeze } from './test-support/suite.js';

describe.each(BACKENDS)('branch states and indexing on %s', (backend) => {
  const { freeze } = useFreeze(backend);
  const start = (ref: { repo: string; branch: string }, extra: { ttlMs?: number; indexingId?: string } = {}) =>
    freeze().lockForIndexing(
      { ...ref, holder: 'funnel-service', indexingId: 'idx-1', commit: 'abc123', ...extra },
      funnel,
    );

  it('scenario 1 (seed 000): a normal change, then indexing freezes writes until it completes', async () => {
    const ref = uniqueRef('main');
    expect(await freeze().checkWrite(ref, ['schema:users'])).toEqual({ allowed: true, state: 'ACTIVE' });
    const started = await start(ref);
    expect(started).toMatchObject({ from: 'ACTIVE', to: 'LOCKED_FOR_WRITE', affected: ['*'] });
    expect(started.lock).toMatchObject({
      scope: 'BRANCH',
      kind: 'INDEXING',
      holder: 'funnel-service',
      meta: { indexingId: 'idx-1', commit: 'abc123' },
    });
    const blocked = await freeze().checkWrite(ref, ['schema:users']);
    expect(blocked).toMatchObject({
      allowed: false,
      state: 'LOCKED_FOR_WRITE',
      reason: 'locked by funnel-service: indexing by funnel-service',
    });
    await expect(
      freeze().acquireLock(
        { ...ref, scope: 'RESOURCE', resourceType: 'schema', resourceId: 'users', holder: 'dev', reason: 'edit' },
        dev,
      ),
    ).rejects.toBeInstanceOf(LockConflictError);
    const done = await freeze().completeIndexing(ref, funnel, { indexingId: 'idx-1' });
    expect(done).toMatchObject({ from: 'LOCKED_FOR_WRITE', to: 'READY', affected: ['*'] });
    expect(done.durationMs).toBeGreaterThanOrEqual(0);
    expect(done.status.locks).toEqual([]);
    expect(await freeze().checkWrite(ref, ['schema:users'])).toEqual({ allowed: true, state: 'READY' });
    const id = parseAuditId(done.audit[0]?.id ?? '');
    expect(id).toMatchObject({ repo: 'acme/registry', branch: ref.branch, action: 'indexing.completed' });
  });

  it('indexing failure (seed 001 scenario 2): ERROR, every lock released, duration kept; an admin recovers', async () => {
    const ref = uniqueRef();
    await freeze().acquireLock(
      { ...ref, scope: 'RESOURCE', resourceType: 'schema', resourceId: 'users', holder: 'dev', reason: 'x' },
      dev,
    );
    await expect(start(ref)).rejects.toBeInstanceOf(LockConflictError);
    await freeze().forceUnlock(ref, 'make room', admin);
    await start(ref);
    const other = uniqueRef();
    await expect(freeze().failIndexing(other, 'boom', funnel)).rejects.toBeInstanceOf(IllegalTransitionError);
    await expect(freeze().failIndexing(ref, 'boom', funnel, { indexingId: 'idx-other' })).rejects.toBeInstanceOf(
      NotLockHolderError,
    );
    const failed = await freeze().failIndexing(ref, 'elasticsearch down', funnel, { indexingId: 'idx-1' });
    expect(failed).toMatchObject({ from: 'LOCKED_FOR_WRITE', to: 'ERROR' });
    expect(failed.durationMs).toBeGreaterThanOrEqual(0);
    expect(failed.status).toMatchObject({ state: 'ERROR', reason: 'elasticsearch down', locks: [] });
    expect(failed.audit[0]).toMatchObject({ action: 'indexing.failed', reason: 'elasticsearch down' });
    await expect(start(ref)).rejects.toBeInstanceOf(IllegalTransitionError);
    const back = await freeze().transition(ref, 'ACTIVE', 'recovered', 'index rebuilt', admin);
    expect(back).toMatchObject({ from: 'ERROR', to: 'ACTIVE' });
  });

  it('validation blocking auto-merge (seed 001 scenario 3): indexing completes, the branch stays READY, unmerged', async () => {
    const ref = uniqueRef();
    await start(ref);
    await freeze().completeIndexing(ref, funnel);
    // Freeze's part: READY holds (auto-merge refused elsewhere) and the branch stays writable for a fix.
    expect(await freeze().getBranchState(ref)).toMatchObject({ state: 'READY', locks: [] });
    expect((await freeze().checkWrite(ref, ['schema:users'])).allowed).toBe(true);
    // A new push is indexed again from READY; merging is only from READY.
    await start(ref, { indexingId: 'idx-2' });
    await expect(freeze().transition(ref, 'ACTIVE', 'merged', 'merged', dev)).rejects.toBeInstanceOf(
      IllegalTransitionError,
    );
    await freeze().completeIndexing(ref, funnel, { indexingId: 'idx-2' });
    const merged = await freeze().transition(ref, 'ACTIVE', 'merged', 'PR #7 merged by hand', dev);
    expect(merged).toMatchObject({ from: 'READY', to: 'ACTIVE' });
    expect(merged.audit[0]?.action).toBe('branch.merged');
  });

  it('scenario 3 (seed 000): a stuck indexing lock is force-unlocked back to ACTIVE', async () => {
    const ref = uniqueRef();
    await start(ref);
    const out = await freeze().forceUnlock(ref, 'Funnel service outage - emergency unlock', admin);
    expect(out).toMatchObject({ from: 'LOCKED_FOR_WRITE', affected: ['*'] });
    expect(out.status).toMatchObject({
      state: 'ACTIVE',
      locks: [],
      reason: 'Funnel service outage - emergency unlock',
    });
    expect(await freeze().checkWrite(ref, ['schema:users'])).toEqual({ allowed: true, state: 'ACTIVE' });
    await expect(freeze().completeIndexing(ref, funnel)).rejects.toBeInstanceOf(IllegalTransitionError);
  });

  it('an indexing lock that times out returns the branch to ACTIVE without a sweeper', async () => {
    const ref = uniqueRef();
    await start(ref, { ttlMs: 1500 });
    expect((await freeze().getBranchState(ref)).state).toBe('LOCKED_FOR_WRITE');
    await waitFor(async () => (await freeze().getBranchState(ref)).state === 'ACTIVE', 2500);
    expect(await freeze().getBranchState(ref)).toMatchObject({ reason: 'indexing lock expired', locks: [] });
    expect((await start(ref, { indexingId: 'idx-2' })).from).toBe('ACTIVE');
  });

  it('archives a deleted branch (its locks go) and restores it', async () => {
    const ref = uniqueRef();
    await freeze().acquireLock({ ...ref, scope: 'BRANCH', holder: 'x', reason: 'y' }, dev);
    const archived = await freeze().transition(ref, 'ARCHIVED', 'deleted', 'branch deleted', dev);
    expect(archived.released).toHaveLength(1);
    expect(archived.status).toMatchObject({ state: 'ARCHIVED', locks: [] });
    await expect(
      freeze().acquireLock({ ...ref, scope: 'BRANCH', holder: 'x', reason: 'y' }, dev),
    ).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(freeze().forceUnlock(ref, 'why', admin)).rejects.toBeInstanceOf(IllegalTransitionError);
    await expect(start(ref)).rejects.toBeInstanceOf(IllegalTransitionError);
    expect((await freeze().transition(ref, 'ACTIVE', 'restored', 'branch recreated', dev)).to).toBe('ACTIVE');
  });

  it('refuses illegal transitions with a reason', async () => {
    const ref = uniqueRef();
    const err = await freeze()
      .transition(ref, 'READY', 'merged', 'x', dev)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IllegalTransitionError);
    expect((err as IllegalTransitionError).message).toBe(
      'cannot go from ACTIVE to READY: ACTIVE can only go to LOCKED_FOR_WRITE, ARCHIVED',
    );
    await expect(freeze().transition(ref, 'ACTIVE', 'merged', 'x', dev)).rejects.toThrow('branch is already ACTIVE');
    await expect(freeze().transition(ref, 'LOCKED_FOR_WRITE', 'indexing.started', 'x', dev)).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    await start(ref);
    await expect(freeze().transition(ref, 'ACTIVE', 'merged', 'x', dev)).rejects.toThrow(
      'LOCKED_FOR_WRITE → ACTIVE happens only on force-unlock or timeout, not merged',
    );
  });
});
