import type { ShadowBuild } from '@aegis/freeze';
import { actorContext, recordPullStep } from '../indexing/after-change.js';
import type { AutoMergeReport, Caller, RepoAccess } from '../indexing/index.js';
import { operationMetrics } from '../indexing/operation-metrics.js';
import { treeHashAt } from '../indexing/tree-hash.js';
import type { AutoMergeContext } from './auto-merge-context.js';
import type { HeadShadow } from './auto-merge-verdict.js';
import type { MergeState } from './merge-api.js';

type Tell = (action: string, message: string, details?: Record<string, unknown>) => Promise<void>;

/** The base branch's BUILT shadows and the head's schema tree: what `autoMergeVerdict` matches. */
export async function headShadows(
  ops: AutoMergeContext,
  access: RepoAccess,
  pull: MergeState,
): Promise<{ built: ShadowBuild[]; headTree: string }> {
  const headTree = await treeHashAt(ops, access.gh.fullName, { commit: pull.headSha });
  const built = await ops.bot.freeze.shadow.list({ repo: access.gh.fullName, branch: pull.baseRef, states: ['BUILT'] });
  return { built, headTree };
}

async function mergeOrError(access: RepoAccess, pull: MergeState): Promise<{ merged: boolean; message: string }> {
  try {
    return await access.gh.merge(pull.number, pull.headSha, `Merge #${pull.number} (Aegis auto-merge)`);
  } catch (error) {
    return { merged: false, message: `merge request failed: ${(error as Error).message}` };
  }
}

/** Switches the PR's shadow in; a refused switch is told and reported, and nothing is merged. */
async function switchIn(
  ops: AutoMergeContext,
  access: RepoAccess,
  pull: MergeState,
  build: HeadShadow,
  tell: Tell,
  ctx: ReturnType<typeof actorContext>,
): Promise<AutoMergeReport | undefined> {
  const out = await ops.bot.freeze.shadow.switch(build.id, { currentTreeHash: build.headTree }, ctx);
  operationMetrics(ops.bot.metrics.registry).switchDuration.observe(
    { outcome: out.switched ? 'switched' : 'refused' },
    out.switchDurationMs / 1000,
  );
  if (!out.switched) {
    await tell(
      'auto-merge.blocked',
      `⏸️ Auto-merge is waiting: the switch of \`${build.id}\` was refused:\n\n${out.errors.map((e) => `- ${e}`).join('\n')}`,
      { shadow: build.id },
    );
    return { pull: pull.number, merged: false, reasons: out.errors };
  }
  await recordPullStep(ops, access, pull, {
    action: 'auto-merge.switched',
    message: `switched ${pull.baseRef}'s ${build.indexType} index to ${build.id} in ${out.switchDurationMs} ms`,
    actor: ctx.actor,
    ...(ctx.delivery ? { delivery: ctx.delivery } : {}),
    details: { shadow: build.id, switchDurationMs: out.switchDurationMs },
  });
  return undefined;
}

/** After a merge: an indexed head branch goes READY → ACTIVE (seed 001); the PR is told. */
async function merged(
  ops: AutoMergeContext,
  access: RepoAccess,
  pull: MergeState,
  build: HeadShadow | undefined,
  tell: Tell,
  ctx: ReturnType<typeof actorContext>,
): Promise<AutoMergeReport> {
  if (!build) {
    await ops.bot.freeze
      .transition(
        { repo: access.gh.fullName, branch: pull.headRef },
        'ACTIVE',
        'merged',
        `PR #${pull.number} merged`,
        ctx,
      )
      .catch(() => undefined);
  }
  const via = build ? ` after switching the index to \`${build.id}\`` : '';
  await tell('auto-merge.merged', `✅ Auto-merged at ${pull.headSha.slice(0, 7)}${via}.`, {
    sha: pull.headSha,
    ...(build ? { shadow: build.id } : {}),
  });
  return { pull: pull.number, merged: true, reasons: [], ...(build ? { switched: build.id, rolledBack: false } : {}) };
}

/**
 * Switches the PR's shadow index in (when it has one), merges at the exact head the checks saw, and rolls
 * the switch back if GitHub refuses the merge. Each step is an audit record under the PR's issue; the PR
 * gets one comment with the outcome.
 */
export async function switchAndMerge(
  ops: AutoMergeContext,
  access: RepoAccess,
  pull: MergeState,
  build: HeadShadow | undefined,
  tell: Tell,
  caller: Caller,
): Promise<AutoMergeReport> {
  const ctx = actorContext(caller);
  if (build) {
    const refused = await switchIn(ops, access, pull, build, tell, ctx);
    if (refused) return refused;
  }
  const merge = await mergeOrError(access, pull);
  if (merge.merged) return merged(ops, access, pull, build, tell, ctx);
  if (!build) {
    await tell('auto-merge.failed', `❌ Auto-merge failed: GitHub refused the merge: ${merge.message}`, {
      error: merge.message,
    });
    return { pull: pull.number, merged: false, reasons: [merge.message] };
  }
  const ref = { repo: access.gh.fullName, branch: pull.baseRef };
  const back = await ops.bot.freeze.shadow.rollback(ref, build.indexType, ctx);
  await tell(
    'auto-merge.rolled-back',
    `↩️ Auto-merge failed: GitHub refused the merge (${merge.message}). The ${build.indexType} index switch to \`${build.id}\` was rolled back to \`${back.pointer.active ?? 'none'}\`.`,
    { shadow: build.id, error: merge.message, active: back.pointer.active },
  );
  return { pull: pull.number, merged: false, reasons: [merge.message], switched: build.id, rolledBack: true };
}
