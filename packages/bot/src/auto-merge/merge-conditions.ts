import { CHECK_NAMES } from '../checks/check-result.js';
import type { AutoMergeSetting } from './auto-merge-setting.js';
import type { CommitCheck, MergeState } from './merge-api.js';

/** The `mergeable_state`s with which GitHub refuses a merge, in words (`clean`, `unstable`, `has_hooks` merge). */
const REFUSING: Record<string, string> = {
  blocked: 'GitHub says the merge is blocked (a required review or required status check is missing)',
  behind: 'GitHub says the head branch is behind its base and branch protection wants it up to date',
  dirty: 'GitHub reports conflicts with the base branch',
  draft: 'the pull request is a draft (mark it ready for review)',
};

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
  if (pull.draft) unmet.push('the pull request is a draft (mark it ready for review)');
  if (pull.mergeable === false) unmet.push('GitHub reports conflicts with the base branch');
  else if (pull.mergeable === null) unmet.push('GitHub has not finished computing mergeability yet');
  else if (REFUSING[pull.mergeableState] && !(pull.draft && pull.mergeableState === 'draft'))
    unmet.push(REFUSING[pull.mergeableState] ?? '');
  for (const name of CHECK_NAMES) {
    // This app's runs only (another app's run of the same name is not ours); GitHub lists the newest first.
    const run = checks.find((c) => c.name === name);
    if (!run) unmet.push(`\`${name}\` has not run on ${pull.headSha.slice(0, 7)}`);
    else if (run.status !== 'completed' || run.conclusion !== 'success')
      unmet.push(`\`${name}\` is ${run.conclusion ?? run.status}`);
  }
  return unmet;
}
