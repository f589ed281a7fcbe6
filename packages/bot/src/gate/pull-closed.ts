import type { FreezeService } from '@aegis/freeze';
import { headBranchMerged } from '../auto-merge/after-merge.js';
import type { BotConfig } from '../bot-context.js';
import type { PullInfo } from '../github.js';
import { releasePullLocks } from '../release-pull-locks.js';
import { afterLockChange } from './after-lock-change.js';
import type { LockObserver } from './after-lock-change.js';
import type { Gate, GateTarget } from './gate-ports.js';

/** What closing a PR changes: its locks, its head branch's state, and the watcher's view of them. */
export interface PullClosedDeps {
  freeze: Pick<FreezeService, 'getBranchState' | 'releaseLock' | 'transition'>;
  config: Pick<BotConfig, 'issueKeyPattern'>;
  watcher: LockObserver;
}

/**
 * A PR merged or closed: an indexed (READY) head branch becomes ACTIVE when merged, every lock the PR took
 * with `/lock` is released (no lock is orphaned), and `aegis/freeze` re-runs on the PRs they held up.
 */
export async function pullClosed(
  deps: PullClosedDeps,
  gate: Gate,
  scope: Omit<GateTarget, 'pull'>,
  pull: PullInfo & { headRef: string; merged: boolean },
): Promise<void> {
  await headBranchMerged(deps, scope.repo.fullName, pull, scope.delivery);
  const released = await releasePullLocks(deps, { repo: scope.repo, delivery: scope.delivery }, pull);
  await afterLockChange(gate, deps.watcher, scope, pull.baseRef, released);
}
