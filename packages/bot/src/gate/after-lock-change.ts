import type { Gate, GateTarget } from './gate-ports.js';
import { reevaluateFreeze } from './reevaluate-freeze.js';

/** The lock watcher as a lock change made by the bot tells it (so it does not re-evaluate the change again). */
export interface LockObserver {
  observe(repo: string, branch: string): Promise<void>;
}

/**
 * After the bot itself took or released locks (a command, a closed PR): `aegis/freeze` re-runs through the
 * gate on the open PRs they cover, and the watcher records the branch's locks as they now are.
 */
export async function afterLockChange(
  gate: Gate,
  watcher: LockObserver,
  scope: Omit<GateTarget, 'pull'>,
  branch: string,
  affected: readonly string[],
): Promise<void> {
  if (affected.length === 0) return;
  await reevaluateFreeze(gate, scope, branch, affected);
  await watcher.observe(scope.repo.fullName, branch);
}
