import type { BotContext } from './bot-context.js';
import { freezeCheck } from './checks/freeze-check.js';
import { publishCheck } from './checks/publish-check.js';
import type { GitHubPort } from './github.js';
import { pullChange } from './inspect-pull.js';
import type { RepoInfo } from './inspect-pull.js';

/** Whether a lock change on `affected` (`*`, `schema:*`, `schema:users`) can matter to these resources. */
export function touches(affected: readonly string[], resources: readonly string[]): boolean {
  return affected.some((a) => {
    if (a === '*') return true;
    if (a.endsWith(':*')) return resources.some((r) => r.startsWith(a.slice(0, -1)));
    return resources.includes(a);
  });
}

/**
 * After a lock is taken or released: re-runs `aegis/freeze` on every open PR into `branch` whose changes
 * the lock covers. One list call, then one check run per affected PR; the rest is read from the mirror.
 */
export async function reevaluateFreeze(
  bot: BotContext,
  gh: GitHubPort,
  repo: RepoInfo,
  branch: string,
  affected: readonly string[],
): Promise<number[]> {
  if (affected.length === 0) return [];
  const pulls = await gh.listOpenPulls(branch);
  if (pulls.length === 0) return [];
  const gitDir = await bot.mirror.sync(repo.fullName, await gh.installationToken(), {
    cloneUrl: repo.cloneUrl,
    want: pulls.map((p) => p.headSha),
  });
  const done: number[] = [];
  for (const pull of pulls) {
    // One unreadable PR must not stop the others from being re-evaluated.
    const change = await pullChange(bot, gitDir, pull).catch(() => undefined);
    if (!change || !touches(affected, change.resources)) continue;
    const result = await freezeCheck(
      bot.freeze,
      { repo: repo.fullName, branch },
      change.resources,
      pull.number,
      repo.htmlUrl,
    );
    await publishCheck(gh.checks, { owner: gh.owner, repo: gh.repo }, pull.headSha, result);
    bot.metrics.checkRuns.inc({ check: result.name, conclusion: result.conclusion });
    done.push(pull.number);
  }
  return done;
}
