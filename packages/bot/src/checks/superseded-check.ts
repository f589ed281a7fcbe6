import type { CheckName, CheckResult } from './check-result.js';

/**
 * The checks of a head that a newer push replaced while its event waited: published `cancelled`, as GitHub
 * Actions marks the runs a newer push supersedes, and not judged. GitHub shows a pull request the checks of its
 * head only; these stay on the old commit (its Commits tab, `⊘`). `cancelled` never passes a required check, so
 * were the old commit pushed back as the head it could not merge on them (that push is judged in full).
 */
export function supersededChecks(names: readonly CheckName[], newer: string): CheckResult[] {
  return names.map((name) => ({
    name,
    conclusion: 'cancelled',
    title: 'Superseded by a newer push',
    summary:
      `This commit is no longer the head of the pull request: \`${newer.slice(0, 7)}\` was pushed after it, ` +
      'and its checks decide the pull request. This commit was not judged.',
    annotations: [],
  }));
}
