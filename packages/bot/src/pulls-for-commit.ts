import type { GitHubPort, PullInfo } from './github.js';
import type { Log } from './log.js';

/**
 * The open pull requests a `check_run` or `check_suite` event is about: the ones GitHub lists in it, or — for a
 * PR from a fork, where GitHub lists none — the open PRs whose head is `headSha`. Says what it found either way.
 */
export async function pullsForCommit(
  gh: GitHubPort,
  headSha: string,
  listed: readonly { number: number }[],
  log: Log,
): Promise<PullInfo[]> {
  if (listed.length > 0) return Promise.all(listed.map((p) => gh.getPull(p.number)));
  const found = (await gh.listOpenPulls()).filter((p) => p.headSha === headSha);
  const pulls = found.map((p) => p.number);
  log.info(
    { headSha, pulls },
    found.length > 0 ? 'open pull requests found by head SHA' : 'no open pull request has this head',
  );
  return found;
}
