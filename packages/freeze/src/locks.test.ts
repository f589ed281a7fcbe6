import { describe, expect, it } from 'vitest';
import { InvalidRequestError, LockConflictError, NotLockHolderError } from './errors.js';
import type { AcquireLockInput } from './outcomes.js';
import { uniqueRef, waitFor } from './test-support/backends.js';
import { BACKENDS, admin, dev, useFreeze } from './test-support/suite.js';
import type { LockTarget } from './types.js';

const BRANCH: LockTarget = { scope: 'BRANCH' };
const TYPE_SCHEMA: LockTarget = { scope: 'RESOURCE_TYPE', resourceType: 'schema' };
const TYPE_OTHER: LockTarget = { scope: 'RESOURCE_TYPE', resourceType: 'object_type' };
const USERS: LockTarget = { scope: 'RESOURCE', resourceType: 'schema', resourceId: 'users' };
const ORDERS: LockTarget = { scope: 'RESOURCE', resourceType: 'schema', resourceId: 'orders' };
const OTHER_USERS: LockTarget = { scope: 'RESOURCE', resourceType: 'object_type', resourceId: 'users' };

// Every pair of (held, requested) with the expected verdict — written out, not derived from the rule module.
const MATRIX: [string, LockTarget, LockTarget, boolean][] = [
  ['BRANCH vs BRANCH', BRANCH, BRANCH, true],
  ['BRANCH vs RESOURCE_TYPE', BRANCH, TYPE_SCHEMA, true],
  ['BRANCH vs RESOURCE', BRANCH, USERS, true],
  ['RESOURCE_TYPE vs BRANCH', TYPE_SCHEMA, BRANCH, true],
  ['RESOURCE_TYPE vs same type', TYPE_SCHEMA, TYPE_SCHEMA, true],
  ['RESOURCE_TYPE vs other type', TYPE_SCHEMA, TYPE_OTHER, false],
  ['RESOURCE_TYPE vs its resource', TYPE_SCHEMA, USERS, true],
  ['RESOURCE_TYPE vs a resource of another type', TYPE_SCHEMA, OTHER_USERS, false],
  ['RESOURCE vs BRANCH', USERS, BRANCH, true],
  ['RESOURCE vs covering type', USERS, TYPE_SCHEMA, true],
  ['RESOURCE vs other type', USERS, TYPE_OTHER, false],
  ['RESOURCE vs same resource', USERS, USERS, true],
  ['RESOURCE vs other resource of the type', USERS, ORDERS, false],
  ['RESOURCE vs same id, other type', USERS, OTHER_USERS, false],
];

const lockInput = (
  ref: { repo: string; branch: string },
  target: LockTarget,
  extra: Partial<AcquireLockInput> = {},
): AcquireLockInput => ({
  ...ref,
  ...target,
  holder: 'holder-1',
  reason: 'test',
  ttlMs: 60_000,
  ...extra,
});

describe.each(BACKENDS)('locks on %s', (backend) => {
  const { freeze } = useFreeze(backend);

  it.each(MATRIX)('%s', async (_name, held, requested, conflicts) => {
    const ref = uniqueRef();
    const first = await freeze().acquireLock(lockInput(ref, held), dev);
    const attempt = freeze().acquireLock(lockInput(ref, requested, { holder: 'holder-2' }), dev);
    if (conflicts) {
      const err = await attempt.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LockConflictError);
      expect((err as LockConflictError).conflicts.map((l) => l.id)).toEqual([first.lock.id]);
      expect((err as LockConflictError).retryAfterSeconds).toBeGreaterThan(50);
    } else {
      const second = await attempt;
      expect(second.lock.token).toBeGreaterThan(first.lock.token);
    }
  });

  it('answers the write check per resource: allowed, or the blocking locks with retry-after', async () => {
    const ref = uniqueRef();
    expect(await freeze().checkWrite(ref, ['schema:users'])).toEqual({ allowed: true, state: 'ACTIVE' });
    const { lock } = await freeze().acquireLock(
      lockInput(ref, USERS, { holder: 'pr#7', reason: 'migrating users', ttlMs: 90_000 }),
      dev,
    );
    const blocked = await freeze().checkWrite(ref, ['schema:orders', 'schema:users']);
    expect(blocked).toMatchObject({ allowed: false, state: 'ACTIVE', reason: 'locked by pr#7: migrating users' });
    if (blocked.allowed) throw new Error('unreachable');
    expect(blocked.blocked.map((l) => l.id)).toEqual([lock.id]);
    expect(blocked.retryAfterSeconds).toBeGreaterThan(85);
    expect(blocked.retryAfterSeconds).toBeLessThanOrEqual(90);
    expect(await freeze().checkWrite(ref, ['schema:orders', 'object_type:users'])).toMatchObject({ allowed: true });
    expect(await freeze().checkWrite(uniqueRef(), ['schema:users'])).toMatchObject({ allowed: true });
  });

  it('releases only with the holder token, once, and reports what became writable', async () => {
    const ref = uniqueRef();
    const { lock } = await freeze().acquireLock(lockInput(ref, TYPE_SCHEMA), dev);
    await expect(freeze().releaseLock({ ...lock, token: lock.token + 1 }, dev)).rejects.toBeInstanceOf(
      NotLockHolderError,
    );
    await expect(freeze().releaseLock({ ...lock, id: 'lock-unknown' }, dev)).rejects.toBeInstanceOf(NotLockHolderError);
    const out = await freeze().releaseLock(lock, dev);
    expect(out.affected).toEqual(['schema:*']);
    expect(out.released.id).toBe(lock.id);
    expect(out.status.locks).toEqual([]);
    expect(out.audit[0]?.action).toBe('lock.released');
    await expect(freeze().releaseLock(lock, dev)).rejects.toBeInstanceOf(NotLockHolderError);
  });

  it('issues strictly increasing fencing tokens per branch, never reused after release', async () => {
    const ref = uniqueRef();
    const tokens: number[] = [];
    for (let i = 0; i < 4; i++) {
      const { lock } = await freeze().acquireLock(lockInput(ref, BRANCH), dev);
      tokens.push(lock.token);
      await freeze().releaseLock(lock, dev);
    }
    expect(tokens).toEqual([...tokens].sort((a, b) => a - b));
    expect(new Set(tokens).size).toBe(4);
    const other = await freeze().acquireLock(lockInput(uniqueRef(), BRANCH), dev);
    expect(other.lock.token).toBe(1);
  });

  it('refuses malformed targets and TTLs', async () => {
    const ref = uniqueRef();
    await expect(
      freeze().acquireLock(lockInput(ref, { scope: 'RESOURCE', resourceType: 'schema' }), dev),
    ).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(freeze().acquireLock(lockInput(ref, { scope: 'RESOURCE_TYPE' }), dev)).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    await expect(freeze().acquireLock(lockInput(ref, BRANCH, { ttlMs: 0 }), dev)).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    await expect(freeze().checkWrite(ref, ['users'])).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('lets an expired lock vanish by itself, and a holder without heartbeat loses it within TTL + 1 s', async () => {
    const ref = uniqueRef();
    // Generous against a loaded machine: a heartbeat every TTL/5 leaves 80 % of the TTL as slack.
    const ttlMs = 1000;
    const { lock } = await freeze().acquireLock(lockInput(ref, USERS, { ttlMs }), dev);
    // Heartbeats keep it alive well past its TTL.
    let last = Date.now();
    const until = last + ttlMs * 2;
    let expiresAt = lock.expiresAt;
    while (Date.now() < until) {
      const beat = await freeze().heartbeat(lock);
      last = Date.now();
      // A beat in the same millisecond as the previous one may not move the expiry; it never moves it back.
      expect(beat.expiresAt).toBeGreaterThanOrEqual(expiresAt);
      expiresAt = beat.expiresAt;
      await new Promise((r) => setTimeout(r, ttlMs / 5));
      expect((await freeze().checkWrite(ref, ['schema:users'])).allowed).toBe(false);
    }
    // Two TTLs of beats have pushed the expiry well past the first one.
    expect(expiresAt).toBeGreaterThan(lock.expiresAt + ttlMs);
    // Heartbeat stops: the lock is gone within TTL + 1 s, with nothing sweeping.
    await waitFor(async () => (await freeze().checkWrite(ref, ['schema:users'])).allowed, ttlMs + 1000);
    expect(Date.now() - last).toBeLessThanOrEqual(ttlMs + 1000);
    await expect(freeze().heartbeat(lock)).rejects.toBeInstanceOf(NotLockHolderError);
    const next = await freeze().acquireLock(lockInput(ref, USERS, { holder: 'holder-2' }), dev);
    expect(next.lock.token).toBeGreaterThan(lock.token);
  });

  it('force-unlocks a whole branch with a reason (admin emergency)', async () => {
    const ref = uniqueRef();
    await freeze().acquireLock(lockInput(ref, USERS), dev);
    await freeze().acquireLock(lockInput(ref, TYPE_OTHER), dev);
    await expect(freeze().forceUnlock(ref, '  ', admin)).rejects.toBeInstanceOf(InvalidRequestError);
    const out = await freeze().forceUnlock(ref, 'holder crashed', admin);
    expect(out.released).toHaveLength(2);
    expect(out.affected).toEqual(['*']);
    expect(out.status.locks).toEqual([]);
    expect(out.audit[0]).toMatchObject({
      action: 'branch.force-unlock',
      actor: 'admin',
      issue: '#99',
      reason: 'holder crashed',
    });
  });

  it('lists locked branches and live locks', async () => {
    const ref = uniqueRef('listed');
    const { lock } = await freeze().acquireLock(lockInput(ref, USERS), dev);
    const branches = await freeze().listBranches('acme/registry');
    expect(branches.find((b) => b.branch === ref.branch)?.locks.map((l) => l.id)).toEqual([lock.id]);
    expect((await freeze().listLocks()).some((l) => l.id === lock.id)).toBe(true);
    await freeze().releaseLock(lock, dev);
    expect((await freeze().listBranches()).some((b) => b.branch === ref.branch)).toBe(false);
  });
});
