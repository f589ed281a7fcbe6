import type { CheckName } from '../checks/check-result.js';
import { pullsForCommit } from '../pulls-for-commit.js';
import type { Gate, GateTarget } from './gate-ports.js';
import { runPlanned } from './run-planned.js';
import type { PushSide } from './run-planned.js';

/**
 * `check_suite`/`check_run` → the planned checks on each open PR of the commit (the ones GitHub lists, or for
 * a fork PR, where it lists none, the open PRs whose head it is).
 */
export async function rerunChecks(
  gate: Gate,
  scope: Omit<GateTarget, 'pull'>,
  commit: { headSha: string; pulls: readonly { number: number }[] },
  plan: { names: readonly CheckName[]; once?: PushSide | undefined },
): Promise<void> {
  for (const pull of await pullsForCommit(scope.gh, commit.headSha, commit.pulls, scope.log)) {
    await runPlanned(gate, { ...scope, pull }, plan);
  }
}
