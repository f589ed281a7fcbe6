import { CHECK_NAMES } from '../checks/check-result.js';
import type { CheckName } from '../checks/check-result.js';
import type { PushSide } from './run-planned.js';

/** What a `pull_request` delivery asks for. */
export type PullEventPlan =
  /** Merged or closed: release the PR's locks (and READY → ACTIVE for a merged indexed head). */
  | { kind: 'closed' }
  /**
   * Run these checks. `once`: this delivery is one side of a push; the checks of that head are decided once,
   * by whichever of `pull_request` and `check_suite.requested` comes first.
   */
  | { kind: 'checks'; names: readonly CheckName[]; once?: PushSide }
  | { kind: 'nothing' };

const all: PullEventPlan = { kind: 'checks', names: CHECK_NAMES };

/** What a `check_suite` or `check_run` delivery asks for (`requested` is GitHub's own, once per push). */
export function rerunPlan(event: 'check_suite' | 'check_run', action: string, name?: string): PullEventPlan {
  if (event === 'check_run') {
    const known = (CHECK_NAMES as readonly string[]).includes(name ?? '');
    return known ? { kind: 'checks', names: [name as CheckName] } : { kind: 'nothing' };
  }
  return action === 'requested' ? { kind: 'checks', names: CHECK_NAMES, once: 'check_suite' } : all;
}

/**
 * The gate's plan for a `pull_request` action: opened/synchronize → the four checks, once per head SHA with the push's check suite;
 * reopened → the four again (locks may have changed while it was closed); edited → aegis/audit when the
 * description changed, the four when the base branch did; closed → release its locks.
 */
export function pullEventPlan(action: string, changes?: { body?: unknown; base?: unknown }): PullEventPlan {
  if (action === 'closed') return { kind: 'closed' };
  if (action === 'opened' || action === 'synchronize')
    return { kind: 'checks', names: CHECK_NAMES, once: 'pull_request' };
  if (action === 'reopened' || (action === 'edited' && changes?.base)) return all;
  if (action === 'edited' && changes?.body) return { kind: 'checks', names: ['aegis/audit'] };
  return { kind: 'nothing' };
}
