import type { FreezeService } from '@aegis/freeze';
import type { BotConfig } from './bot-context.js';
import { findLinkedIssue } from './checks/audit-check.js';
import type { PullInfo } from './github.js';
import { pullLocks } from './locks/pull-locks.js';
import type { RepoInfo } from './repo-info.js';

/**
 * Releases every lock a PR took with `/lock` once it is merged or closed, so no lock is orphaned.
 * Returns the affected resources (to re-run `aegis/freeze` on the other PRs).
 */
export async function releasePullLocks(
  bot: { freeze: Pick<FreezeService, 'getBranchState' | 'releaseLock'>; config: Pick<BotConfig, 'issueKeyPattern'> },
  scope: { repo: RepoInfo; delivery?: string | undefined },
  pull: PullInfo,
): Promise<string[]> {
  const ref = { repo: scope.repo.fullName, branch: pull.baseRef };
  const status = await bot.freeze.getBranchState(ref);
  const ours = pullLocks(status.locks, pull.number);
  const linked = findLinkedIssue(pull.body, bot.config.issueKeyPattern);
  const ctx = { actor: 'aegis', issue: linked?.key, delivery: scope.delivery };
  const affected: string[] = [];
  for (const lock of ours) affected.push(...(await bot.freeze.releaseLock(lock, ctx)).affected);
  return affected;
}
