import { CHECK_NAMES } from '../checks/check-result.js';
import type { AutoMergeSetting } from './auto-merge-setting.js';
import type { CommitCheck, MergeState } from './merge-api.js';

/**
 * The seed's auto-merge conditions that do not depend on the index (seed 001: enabled, not timed out, no
 * conflicts; SPEC §4: every aegis check passed). Returns the unmet ones in words; empty means met.
 */
export function mergeConditions(
  pull: MergeState,
  setting: AutoMergeSetting | undefined,
  checks: CommitCheck[],
  now: number,
  timeoutMs: number,
): string[] {
  const unmet: string[] = [];
  if (!setting?.enabled) unmet.push('auto-merge is off (comment `/auto-merge` to turn it on)');
  else if (now - Date.parse(setting.at) > timeoutMs)
    unmet.push(`auto-merge timed out: enabled at ${setting.at}, more than ${Math.round(timeoutMs / 3600_000)} h ago`);
  if (pull.state !== 'open' || pull.merged) unmet.push(`the pull request is ${pull.merged ? 'merged' : pull.state}`);
  if (pull.mergeable === false) unmet.push('GitHub reports conflicts with the base branch');
  else if (pull.mergeable === null) unmet.push('GitHub has not finished computing mergeability yet');
  for (const name of CHECK_NAMES) {
    // GitHub lists the newest run of a name first.
    const run = checks.find((c) => c.name === name);
    if (!run) unmet.push(`\`${name}\` has not run on ${pull.headSha.slice(0, 7)}`);
    else if (run.status !== 'completed' || run.conclusion !== 'success')
      unmet.push(`\`${name}\` is ${run.conclusion ?? run.status}`);
  }
  return unmet;
}
