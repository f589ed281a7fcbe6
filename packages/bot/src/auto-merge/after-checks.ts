import type { BotContext } from '../bot-context.js';
import type { CheckResult } from '../checks/check-result.js';
import { operationsOf } from '../indexing/operation-context.js';
import { tokenPrincipal } from '../rbac/authorize.js';
import { autoMergeSettings } from './auto-merge-setting.js';
import { evaluateAutoMerge } from './evaluate-auto-merge.js';

/**
 * After a PR's checks were published: if they all passed and the PR has auto-merge on, evaluate it (its
 * shadow may have been BUILT before the checks turned green). Costs one audit query when auto-merge is off
 * and no GitHub call; an unmet condition is recorded, not commented (checks re-run often).
 */
export async function autoMergeAfterChecks(
  bot: BotContext,
  repo: string,
  pull: number,
  results: readonly CheckResult[],
): Promise<void> {
  const ops = operationsOf(bot);
  if (!ops || results.length === 0 || results.some((r) => r.conclusion !== 'success')) return;
  try {
    if (!(await autoMergeSettings(bot.freeze, repo)).get(pull)?.enabled) return;
    await evaluateAutoMerge(
      ops,
      { kind: 'pull', repo, pull },
      { identity: 'aegis', principal: tokenPrincipal('aegis', []), transport: 'command' },
      { announceBlocked: false },
    );
  } catch (error) {
    ops.log?.warn({ err: error, repo, pull }, 'auto-merge after checks failed');
  }
}
