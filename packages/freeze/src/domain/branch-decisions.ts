import { randomUUID } from 'node:crypto';
import { IllegalTransitionError, InvalidRequestError, LockConflictError, NotLockHolderError } from '../errors.js';
import type { BranchDecision, BranchSnapshot, NewLock } from '../state-store.js';
import type { BranchState, Lock, LockHandle, LockKind, LockTarget } from '../types.js';
import { checkTransition, type TransitionTrigger } from './branch-transitions.js';
import { conflictingLocks, normaliseTarget, retryAfterSeconds } from './lock-conflicts.js';

/**
 * Pure decisions over a branch snapshot. Each returns the change to apply and a result; the store applies it
 * atomically (a SQL transaction with the branch row locked, or a Redis compare-and-set script).
 */

/**
 * The state that counts: LOCKED_FOR_WRITE whose INDEXING lock has expired counts as ACTIVE (seed 000:
 * "timeout releases the lock automatically"), and so does READY older than the snapshot's `readyTimeoutMs`
 * (seed 000: READY → ACTIVE after merge or timeout), with no sweeper needed.
 */
export function effectiveState(
  snapshot: Pick<BranchSnapshot, 'state' | 'locks'> & Partial<Pick<BranchSnapshot, 'since' | 'now' | 'readyTimeoutMs'>>,
): BranchState {
  if (snapshot.state === 'LOCKED_FOR_WRITE' && !snapshot.locks.some((l) => l.kind === 'INDEXING')) return 'ACTIVE';
  if (snapshot.state === 'READY' && readyTimedOut(snapshot)) return 'ACTIVE';
  return snapshot.state;
}

function readyTimedOut(s: Partial<Pick<BranchSnapshot, 'since' | 'now' | 'readyTimeoutMs'>>): boolean {
  if (s.readyTimeoutMs === undefined || s.since === undefined || s.now === undefined) return false;
  return s.now - s.since >= s.readyTimeoutMs;
}

export function assertTransition(from: BranchState, to: BranchState, trigger: TransitionTrigger): void {
  const verdict = checkTransition(from, to, trigger);
  if (!verdict.allowed) throw new IllegalTransitionError(from, to, verdict.reason);
}

export function assertTtl(ttlMs: number): void {
  if (!Number.isFinite(ttlMs) || ttlMs < 1)
    throw new InvalidRequestError(`ttlMs must be a positive number, got ${ttlMs}`);
}

/** A lock request as the decisions see it. */
export interface LockRequest extends LockTarget {
  kind: LockKind;
  holder: string;
  reason: string;
  ttlMs: number;
  meta: Record<string, string>;
}

/** Builds the new lock, or throws `LockConflictError` with the blocking locks and retry-after. */
export function decideAcquire(snapshot: BranchSnapshot, request: LockRequest): BranchDecision<null> {
  if (!request.holder) throw new InvalidRequestError('a lock needs a holder');
  assertTtl(request.ttlMs);
  if (snapshot.state === 'ARCHIVED') throw new InvalidRequestError(`branch ${snapshot.branch} is ARCHIVED`);
  const target = normaliseTarget(request);
  const conflicts = conflictingLocks(target, snapshot.locks, snapshot.now);
  if (conflicts.length > 0) throw new LockConflictError(conflicts, retryAfterSeconds(conflicts, snapshot.now));
  const lock: NewLock = {
    ...target,
    id: `lock-${randomUUID()}`,
    kind: request.kind,
    holder: request.holder,
    reason: request.reason,
    ttlMs: request.ttlMs,
    meta: request.meta,
  };
  return { change: { addLocks: [lock] }, result: null };
}

/** Finds the live lock the handle names, or throws `NotLockHolderError`. */
export function heldLock(snapshot: BranchSnapshot, handle: LockHandle): Lock {
  const lock = snapshot.locks.find((l) => l.id === handle.id);
  if (!lock) throw new NotLockHolderError(`lock ${handle.id} is not held (released or expired)`);
  if (lock.token !== handle.token)
    throw new NotLockHolderError(`lock ${handle.id} has token ${lock.token}, not ${handle.token}`);
  return lock;
}

/** Releases the handle's lock; the holder's token is required. */
export function decideRelease(snapshot: BranchSnapshot, handle: LockHandle): BranchDecision<Lock> {
  const lock = heldLock(snapshot, handle);
  return { change: { removeLockIds: [lock.id] }, result: lock };
}

/** Extends the handle's lock by `ttlMs` (default: its own TTL) from now. */
export function decideHeartbeat(snapshot: BranchSnapshot, handle: LockHandle, ttlMs?: number): BranchDecision<Lock> {
  const lock = heldLock(snapshot, handle);
  const ttl = ttlMs ?? lock.ttlMs;
  assertTtl(ttl);
  return { change: { renewLocks: [{ id: lock.id, ttlMs: ttl }] }, result: lock };
}

/** Admin emergency unlock (seed 000 scenario 3): every lock goes, the state returns to ACTIVE. */
export function decideForceUnlock(
  snapshot: BranchSnapshot,
  reason: string,
  actor: string,
): BranchDecision<{ from: BranchState; released: Lock[] }> {
  if (!reason.trim()) throw new InvalidRequestError('force-unlock needs a reason');
  const from = effectiveState(snapshot);
  if (from === 'ARCHIVED')
    throw new IllegalTransitionError(from, 'ACTIVE', 'an archived branch is restored, not unlocked');
  const released = snapshot.locks;
  const state = snapshot.state !== 'ACTIVE' ? { state: 'ACTIVE' as const, reason, actor } : undefined;
  return {
    change: { removeLockIds: released.map((l) => l.id), ...(state ? { state } : {}) },
    result: { from, released },
  };
}

/** A state change by trigger; ERROR, ARCHIVED and force-unlock release every lock, leaving LOCKED_FOR_WRITE its indexing lock. */
export function decideTransition(
  snapshot: BranchSnapshot,
  to: BranchState,
  trigger: TransitionTrigger,
  reason: string,
  actor: string,
): BranchDecision<{ from: BranchState; released: Lock[] }> {
  if (trigger.startsWith('indexing.'))
    throw new InvalidRequestError('indexing transitions go through lockForIndexing/completeIndexing/failIndexing');
  const from = effectiveState(snapshot);
  assertTransition(from, to, trigger);
  // ERROR, ARCHIVED and force-unlock clear the branch; leaving LOCKED_FOR_WRITE ends its indexing lock.
  const releaseAll = to === 'ERROR' || to === 'ARCHIVED' || trigger === 'force-unlock';
  const released = releaseAll
    ? snapshot.locks
    : from === 'LOCKED_FOR_WRITE'
      ? snapshot.locks.filter((l) => l.kind === 'INDEXING')
      : [];
  return {
    change: { state: { state: to, reason, actor }, removeLockIds: released.map((l) => l.id) },
    result: { from, released },
  };
}
