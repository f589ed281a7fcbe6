import { isObjectId } from '@aegis/git';
import type { CheckName } from '../checks/check-result.js';
import { supersededChecks } from '../checks/superseded-check.js';
import { pullsForCommit } from '../pulls-for-commit.js';
import type { Gate, GateTarget } from './gate-ports.js';
import { publishResults } from './publish-results.js';
import { runGate } from './run-gate.js';
import { runPlanned } from './run-planned.js';
import type { PushSide } from './run-planned.js';

/**
 * `check_suite`/`check_run` → the planned checks on each open PR of the commit (the ones GitHub lists, or for
 * a fork PR, where it lists none, the open PRs whose head it is). A push's own suite (`once`) decides the commit
 * it names even when the PR has moved on since: handled after a newer push, it must not decide that push's head
 * a second time (its own deliveries decide it), and its commit is claimed with its own `pull_request` event.
 * A person's re-run of an older commit's checks (GitHub lists the PR for any commit of its branch) is answered
 * on that commit as superseded by the PR's head: the head's checks decide the PR and are not run again for it.
 */
export async function rerunChecks(
  gate: Gate,
  scope: Omit<GateTarget, 'pull'>,
  commit: { headSha: string; pulls: readonly { number: number }[] },
  plan: { names: readonly CheckName[]; once?: PushSide | undefined },
): Promise<void> {
  // GitHub names a commit; anything else is answered nowhere (no GitHub call, no mirror read).
  if (!isObjectId(commit.headSha)) {
    scope.log.warn({ headSha: commit.headSha.slice(0, 80) }, 'check event names no commit id; ignored');
    return;
  }
  for (const pull of await pullsForCommit(scope.gh, commit.headSha, commit.pulls, scope.log)) {
    const named = { ...scope, pull: { ...pull, headSha: commit.headSha } };
    if (plan.once) await runPlanned(gate, named, plan);
    else if (pull.headSha === commit.headSha) await runGate(gate, named, plan.names);
    // An older commit: nothing it holds decides the PR, so it is answered without being fetched or read.
    else await publishResults(gate, named, undefined, supersededChecks(plan.names, pull.headSha));
  }
}
