import type { BranchChange, BranchSnapshot } from '../state-store.js';
import type { Lock } from '../types.js';

/**
 * The locks a change adds when it is applied at the snapshot's time: fencing tokens follow `tokenSeq` (the
 * branch's last token), TTLs count from `snap.now`. A store that applies the change under a compare-and-set on
 * the snapshot's version (Redis) knows them before applying it, so their audit record can be written with them.
 */
export function locksAdded(snap: BranchSnapshot, change: BranchChange, tokenSeq: number): Lock[] {
  return (change.addLocks ?? []).map((n, i) => ({
    ...n,
    repo: snap.repo,
    branch: snap.branch,
    token: tokenSeq + i + 1,
    createdAt: snap.now,
    heartbeatAt: snap.now,
    expiresAt: snap.now + n.ttlMs,
  }));
}

/** The snapshot after `change` is applied at the snapshot's time (computed, not re-read). */
export function snapshotAfter(snap: BranchSnapshot, change: BranchChange, added: Lock[]): BranchSnapshot {
  const removed = new Set(change.removeLockIds ?? []);
  const renew = new Map((change.renewLocks ?? []).map((r) => [r.id, r.ttlMs]));
  const kept = snap.locks
    .filter((l) => !removed.has(l.id))
    .map((l) => {
      const ttl = renew.get(l.id);
      return ttl === undefined ? l : { ...l, heartbeatAt: snap.now, expiresAt: snap.now + ttl, ttlMs: ttl };
    });
  const state = change.state
    ? { state: change.state.state, reason: change.state.reason, actor: change.state.actor, since: snap.now }
    : {};
  return { ...snap, ...state, locks: [...kept, ...added], version: snap.version + 1 };
}

/** Whether a change writes anything. */
export function isEmptyChange(c: BranchChange | undefined): boolean {
  return !c || (!c.state && !c.addLocks?.length && !c.removeLockIds?.length && !c.renewLocks?.length);
}
