import type { AfterChecks } from '../gate/gate-ports.js';
import { tokenPrincipal } from '../rbac/authorize.js';
import type { AutoMergeContext } from './auto-merge-context.js';
import { autoMergeSettings } from './auto-merge-setting.js';
import { evaluateAutoMerge } from './evaluate-auto-merge.js';

/**
 * Auto-merge's turn after a PR's checks all passed (the gate decides that): if the PR has auto-merge on,
 * evaluate it in `ops` (its shadow may have been BUILT before the checks turned green). Costs one audit query
 * when auto-merge is off and no GitHub call; an unmet condition is recorded, not commented (checks re-run
 * often); a failure is logged, never thrown.
 */
export function autoMergeAfterChecks(ops: AutoMergeContext): AfterChecks {
  return async (repo: string, pull: number): Promise<void> => {
    try {
      if (!(await autoMergeSettings(ops.bot.freeze, repo)).get(pull)?.enabled) return;
      await evaluateAutoMerge(
        ops,
        { kind: 'pull', repo, pull },
        { identity: 'aegis', principal: tokenPrincipal('aegis', []), transport: 'command' },
        { announceBlocked: false },
      );
    } catch (error) {
      ops.log?.warn({ err: error, repo, pull }, 'auto-merge after checks failed');
    }
  };
}
