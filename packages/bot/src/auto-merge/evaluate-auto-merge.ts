import type { BranchRef, ShadowBuild } from '@aegis/freeze';
import { actorContext, recordPullStep, repoAccess, tellPull } from '../indexing/after-change.js';
import type { AutoMergeReport, Caller, IndexingValidation, RepoAccess } from '../indexing/index.js';
import type { AutoMergeContext } from './auto-merge-context.js';
import { autoMergeSettings } from './auto-merge-setting.js';
import type { AutoMergeSetting } from './auto-merge-setting.js';
import { autoMergeVerdict } from './auto-merge-verdict.js';
import { headShadows, switchAndMerge } from './switch-and-merge.js';

/** What made the bot look at auto-merge. */
export type AutoMergeTrigger =
  /** indexing.completed on a branch: the open PRs whose head is that branch (seed 001). */
  | { kind: 'indexed'; ref: BranchRef; validation: IndexingValidation; commit?: string | undefined }
  /** a shadow build became BUILT: the open PRs into its branch. */
  | { kind: 'shadow-built'; shadow: ShadowBuild }
  /** `/auto-merge` on a PR, or its checks finished. */
  | { kind: 'pull'; repo: string; pull: number };

/** How long auto-merge stays armed after `/auto-merge` (seed 001's `timeout_hours`, 24 h default). */
export const AUTO_MERGE_TIMEOUT_MS = 24 * 3600_000;

async function candidates(access: RepoAccess, trigger: AutoMergeTrigger): Promise<number[]> {
  if (trigger.kind === 'pull') return [trigger.pull];
  const open = await access.gh.openPulls();
  if (trigger.kind === 'indexed') return open.filter((p) => p.headRef === trigger.ref.branch).map((p) => p.number);
  return open.filter((p) => p.baseRef === trigger.shadow.branch).map((p) => p.number);
}

/**
 * Evaluates auto-merge for the PRs a trigger concerns and merges those that meet every condition: enabled
 * and not timed out, all aegis checks green, GitHub mergeable, and an index built from the PR head — the
 * indexed branch with the indexer's validation passed, or a BUILT shadow from the head's schema tree (which
 * is switched in first and rolled back if the merge fails). Unmet conditions are told on the PR and its
 * issue, audited — except for PRs that never asked for auto-merge.
 */
export async function evaluateAutoMerge(
  ops: AutoMergeContext,
  trigger: AutoMergeTrigger,
  caller: Caller,
  options: { announceBlocked?: boolean } = {},
): Promise<AutoMergeReport[]> {
  const repo =
    trigger.kind === 'indexed'
      ? trigger.ref.repo
      : trigger.kind === 'shadow-built'
        ? trigger.shadow.repo
        : trigger.repo;
  const access = await repoAccess(ops, repo);
  if (!access) return [];
  const settings = await autoMergeSettings(ops.bot.freeze, repo);
  const reports: AutoMergeReport[] = [];
  for (const number of await candidates(access, trigger)) {
    const setting = settings.get(number);
    if (!setting?.enabled) continue;
    // The operation that triggered this already happened: a GitHub failure here is reported, not thrown.
    const report = await evaluateOne(
      ops,
      access,
      number,
      setting,
      trigger,
      caller,
      options.announceBlocked ?? true,
    ).catch((error: unknown): AutoMergeReport => {
      ops.log?.warn({ err: error, pull: number }, 'auto-merge evaluation failed');
      return { pull: number, merged: false, reasons: [`auto-merge evaluation failed: ${(error as Error).message}`] };
    });
    reports.push(report);
  }
  return reports;
}

async function evaluateOne(
  ops: AutoMergeContext,
  access: RepoAccess,
  number: number,
  setting: AutoMergeSetting,
  trigger: AutoMergeTrigger,
  caller: Caller,
  announce: boolean,
): Promise<AutoMergeReport> {
  const pull = await access.gh.mergeState(number);
  const checks = await access.gh.commitChecks(pull.headSha);
  const ctx = actorContext(caller);
  const tell = (action: string, message: string, details: Record<string, unknown> = {}): Promise<void> => {
    const step = { action, message, actor: ctx.actor, ...(ctx.delivery ? { delivery: ctx.delivery } : {}), details };
    // A command's own reply carries what is still missing; everything else is told on the PR.
    return announce || action !== 'auto-merge.blocked'
      ? tellPull(ops, access, pull, step)
      : recordPullStep(ops, access, pull, step);
  };
  const indexed = trigger.kind === 'indexed' && pull.headRef === trigger.ref.branch ? trigger : undefined;
  const verdict = autoMergeVerdict({
    pull,
    setting,
    checks,
    now: ops.bot.clock(),
    timeoutMs: AUTO_MERGE_TIMEOUT_MS,
    indexed,
    shadows: indexed ? undefined : await headShadows(ops, access, pull),
  });
  if (!verdict.merge) return blocked(tell, number, verdict.unmet);
  return switchAndMerge(ops, access, pull, verdict.shadow, tell, caller);
}

async function blocked(
  tell: (action: string, message: string, details?: Record<string, unknown>) => Promise<void>,
  pull: number,
  reasons: string[],
): Promise<AutoMergeReport> {
  await tell('auto-merge.blocked', `⏸️ Auto-merge is waiting:\n\n${reasons.map((r) => `- ${r}`).join('\n')}`, {
    reasons,
  });
  return { pull, merged: false, reasons };
}
