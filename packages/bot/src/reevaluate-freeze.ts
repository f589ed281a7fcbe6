import type { BotContext } from './bot-context.js';
import { lockChangeCovers } from '@aegis/freeze';
import { freezeCheck, readFreezeVerdict } from './checks/freeze-check.js';
import { publishCheck } from './checks/publish-check.js';
import type { GitHubPort } from './github.js';
import { pullChange } from './inspect-pull.js';
import type { RepoInfo } from './inspect-pull.js';

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
    branches: [...new Set([branch, repo.defaultBranch])],
  });
  const done: number[] = [];
  for (const pull of pulls) {
    // One unreadable PR must not stop the others from being re-evaluated.
    const change = await pullChange(bot, gitDir, pull).catch(() => undefined);
    if (!change || !lockChangeCovers(affected, change.resources)) continue;
    const ref = { repo: repo.fullName, branch };
    const verdict = await readFreezeVerdict(bot.freeze, ref);
    const result = freezeCheck({ ref, resources: change.resources, pr: pull.number, htmlUrl: repo.htmlUrl, verdict });
    await publishCheck(gh.checks, { owner: gh.owner, repo: gh.repo }, pull.headSha, result);
    bot.metrics.checkRuns.inc({ check: result.name, conclusion: result.conclusion });
    done.push(pull.number);
  }
  return done;
}
