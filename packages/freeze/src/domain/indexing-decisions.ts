import { InvalidRequestError, NotLockHolderError } from '../errors.js';
import type { BranchDecision, BranchSnapshot } from '../state-store.js';
import type { BranchState, Lock } from '../types.js';
import { assertTransition, assertTtl, decideAcquire, effectiveState, type LockRequest } from './branch-decisions.js';

/**
 * Pure decisions for indexing runs (seeds 000–001, issue 14 fencing): a run is one INDEXING lock; whoever ends
 * or renews it names it (its indexing id or fencing token), and only its holder — or an admin, audited as an
 * override — may end it.
 */

/** Names the run a completion, failure or heartbeat applies to, and who asks. */
export interface IndexingRun {
  /** The indexing id given at start. */
  indexingId?: string;
  /** The INDEXING lock's fencing token, as start returned it. */
  token?: number;
  /** The caller's identity; it must be the run's holder unless `admin`. */
  caller: string;
  /** An admin may end another holder's run (the audit record says so). */
  admin?: boolean;
}

/** The live run a request names, and whether an admin ends it for someone else. */
export interface RunMatch {
  lock: Lock;
  override: boolean;
}

function liveIndexingLock(snapshot: BranchSnapshot): Lock {
  const lock = snapshot.locks.find((l) => l.kind === 'INDEXING');
  if (!lock) throw new NotLockHolderError(`branch ${snapshot.branch} is not being indexed (no live indexing lock)`);
  return lock;
}

/**
 * The live INDEXING lock `run` names, or throws: `InvalidRequestError` when it names none, `NotLockHolderError`
 * when the id or token is not the live run's (a stale holder) or the caller is neither its holder nor an admin.
 */
export function matchRun(snapshot: BranchSnapshot, run: IndexingRun): RunMatch {
  if (run.indexingId === undefined && run.token === undefined)
    throw new InvalidRequestError('name the indexing run: its indexing_id or fencing_token');
  const lock = liveIndexingLock(snapshot);
  const id = lock.meta['indexingId'];
  if (run.indexingId !== undefined && id !== run.indexingId)
    throw new NotLockHolderError(
      `branch ${snapshot.branch} is being indexed by run ${id ?? lock.id}, not ${run.indexingId}`,
    );
  if (run.token !== undefined && lock.token !== run.token)
    throw new NotLockHolderError(
      `indexing lock of ${snapshot.branch} has fencing token ${lock.token}, not ${run.token}`,
    );
  if (lock.holder === run.caller) return { lock, override: false };
  if (run.admin) return { lock, override: true };
  throw new NotLockHolderError(
    `run ${id ?? lock.id} on ${snapshot.branch} is held by ${lock.holder}, not ${run.caller}`,
  );
}

/** Before fencing: the live INDEXING lock, matching `indexingId` only when both carry one. */
function legacyRun(snapshot: BranchSnapshot, indexingId?: string): RunMatch {
  const lock = liveIndexingLock(snapshot);
  if (indexingId && lock.meta['indexingId'] && lock.meta['indexingId'] !== indexingId) {
    throw new NotLockHolderError(
      `branch ${snapshot.branch} is being indexed by ${lock.meta['indexingId']}, not ${indexingId}`,
    );
  }
  return { lock, override: false };
}

/** The run an end names: fenced when the caller is known, otherwise the single live run. */
export type RunSelector = IndexingRun | { indexingId?: string; caller?: undefined };

function selectRun(snapshot: BranchSnapshot, run: RunSelector): RunMatch {
  return run.caller === undefined ? legacyRun(snapshot, run.indexingId) : matchRun(snapshot, run);
}

/** The result of starting: the state left, and the caller's own live lock when the start was a repeat. */
export interface IndexingBegin {
  from: BranchState;
  repeated: Lock | null;
}

/**
 * Seed 000 step 6–7: a BRANCH lock of kind INDEXING and LOCKED_FOR_WRITE, in one step. A start repeated by the
 * run's own holder (same indexing id) is not a conflict: it renews the lock and changes nothing else.
 */
export function decideIndexingStart(
  snapshot: BranchSnapshot,
  request: LockRequest,
  actor: string,
): BranchDecision<IndexingBegin> {
  const from = effectiveState(snapshot);
  const own = snapshot.locks.find(
    (l) =>
      l.kind === 'INDEXING' &&
      l.holder === request.holder &&
      (l.meta['indexingId'] ?? null) === (request.meta['indexingId'] ?? null),
  );
  if (own && from === 'LOCKED_FOR_WRITE') {
    assertTtl(request.ttlMs);
    return { change: { renewLocks: [{ id: own.id, ttlMs: request.ttlMs }] }, result: { from, repeated: own } };
  }
  assertTransition(from, 'LOCKED_FOR_WRITE', 'indexing.started');
  const { change } = decideAcquire(snapshot, { ...request, scope: 'BRANCH', kind: 'INDEXING' });
  return {
    change: { ...change, state: { state: 'LOCKED_FOR_WRITE', reason: request.reason, actor } },
    result: { from, repeated: null },
  };
}

/** The holder renews its run's lock by `ttlMs` (default its own TTL); a stale id or token cannot. */
export function decideIndexingHeartbeat(
  snapshot: BranchSnapshot,
  run: IndexingRun,
  ttlMs?: number,
): BranchDecision<Lock> {
  const { lock } = matchRun(snapshot, { ...run, admin: false });
  const ttl = ttlMs ?? lock.ttlMs;
  assertTtl(ttl);
  return { change: { renewLocks: [{ id: lock.id, ttlMs: ttl }] }, result: lock };
}

/** The result of ending an indexing run. */
export interface IndexingEnd {
  from: BranchState;
  lock: Lock;
  durationMs: number;
  released: Lock[];
  /** An admin ended another holder's run. */
  override: boolean;
}

/**
 * The run an end names, and the end itself: the state left (checked against `to`), the run's lock, whether an
 * admin ends another holder's run, and how long the run lasted by the store's clock.
 */
function endRun(
  snapshot: BranchSnapshot,
  run: RunSelector,
  to: 'READY' | 'ERROR',
  trigger: 'indexing.completed' | 'indexing.failed',
): Omit<IndexingEnd, 'released'> {
  const from = effectiveState(snapshot);
  assertTransition(from, to, trigger);
  const { lock, override } = selectRun(snapshot, run);
  return { from, lock, durationMs: snapshot.now - lock.createdAt, override };
}

/** Seed 001: LOCKED_FOR_WRITE → READY, the indexing lock released, the duration measured. */
export function decideIndexingComplete(
  snapshot: BranchSnapshot,
  run: RunSelector,
  reason: string,
  actor: string,
): BranchDecision<IndexingEnd> {
  const end = endRun(snapshot, run, 'READY', 'indexing.completed');
  return {
    change: { state: { state: 'READY', reason, actor }, removeLockIds: [end.lock.id] },
    result: { ...end, released: [] },
  };
}

/** Seed 001 scenario 2: LOCKED_FOR_WRITE → ERROR and every lock on the branch released. */
export function decideIndexingFail(
  snapshot: BranchSnapshot,
  run: RunSelector,
  reason: string,
  actor: string,
): BranchDecision<IndexingEnd> {
  const end = endRun(snapshot, run, 'ERROR', 'indexing.failed');
  return {
    change: { state: { state: 'ERROR', reason, actor }, removeLockIds: snapshot.locks.map((l) => l.id) },
    result: { ...end, released: snapshot.locks.filter((l) => l.id !== end.lock.id) },
  };
}
