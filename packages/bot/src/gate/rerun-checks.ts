import type { CheckName } from '../checks/check-result.js';
import { pullsForCommit } from '../pulls-for-commit.js';
import type { Gate, GateTarget } from './gate-ports.js';
import { runPlanned } from './run-planned.js';
import type { PushSide } from './run-planned.js';

/**
 * `check_suite`/`check_run` → the planned checks on each open PR of the commit (the ones GitHub lists, or for
 * a fork PR, where it lists none, the open PRs whose head it is). A push's own suite (`once`) decides the commit
 * it names even when the PR has moved on since: handled after a newer push, it must not decide that push's head
 * a second time (its own deliveries decide it), and its commit is claimed with its own `pull_request` event.
 */
export async function rerunChecks(
  gate: Gate,
  scope: Omit<GateTarget, 'pull'>,
  commit: { headSha: string; pulls: readonly { number: number }[] },
  plan: { names: readonly CheckName[]; once?: PushSide | undefined },
): Promise<void> {
  for (const pull of await pullsForCommit(scope.gh, commit.headSha, commit.pulls, scope.log)) {
    await runPlanned(gate, { ...scope, pull: plan.once ? { ...pull, headSha: commit.headSha } : pull }, plan);
  }
}
