import { effectiveState } from './domain/branch-decisions.js';
import type { BranchSnapshot } from './state-store.js';
import type { BranchStatus } from './types.js';

/** Turns a store snapshot into the public status. */
export function toStatus(s: BranchSnapshot): BranchStatus {
  const state = effectiveState(s);
  const stale = state !== s.state;
  const why = s.state === 'READY' ? 'READY timed out' : 'indexing lock expired';
  return {
    repo: s.repo,
    branch: s.branch,
    state,
    since: s.since,
    reason: stale ? why : s.reason,
    actor: stale ? 'system' : s.actor,
    locks: s.locks,
    now: s.now,
  };
}
