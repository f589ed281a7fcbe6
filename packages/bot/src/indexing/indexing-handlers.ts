import { IllegalTransitionError, LockConflictError, retryAfterSeconds } from '@aegis/freeze';
import type { BranchRef, IndexingOutcome } from '@aegis/freeze';
import type { AutoMergeContext } from '../auto-merge/auto-merge-context.js';
import { evaluateAutoMerge } from '../auto-merge/evaluate-auto-merge.js';
import { actorContext, reevaluate, repoAccess, tellPull } from './after-change.js';
import type { PullTeller, Reevaluates, RepoReach } from './after-change.js';
import type { Caller, IndexingResult, OperationHandler, ReportedTimes, RepoAccess } from './index.js';
import { operationMetrics } from './operation-metrics.js';
import type { FreezePort, MetricsPort } from './operation-ports.js';

function result(
  out: IndexingOutcome,
  reevaluated: number[],
  autoMerge: IndexingResult['autoMerge'] = [],
): IndexingResult {
  return {
    repo: out.ref.repo,
    branch: out.ref.branch,
    from: out.from,
    to: out.to,
    lock: out.lock,
    durationMs: out.durationMs,
    affected: out.affected,
    reevaluated,
    autoMerge,
    ...(out.auditPending ? { auditPending: true } : {}),
  };
}

function observe(ops: MetricsPort, out: IndexingOutcome, outcome: 'completed' | 'failed'): void {
  if (out.durationMs === null) return;
  operationMetrics(ops.bot.metrics.registry).indexingDuration.observe({ outcome }, out.durationMs / 1000);
}

/** The run's duration as the indexer reports it, when it gives its start (an end before the start is ignored). */
export function reportedDuration(times: ReportedTimes, now = Date.now()): { durationMs?: number } {
  if (times.startedAt === undefined) return {};
  const ms = (times.completedAt === undefined ? now : Date.parse(times.completedAt)) - Date.parse(times.startedAt);
  return ms >= 0 ? { durationMs: ms } : {};
}

/** A second start while the branch is being indexed is a write refused during a freeze (seed 000: 423). */
async function asFrozen(ops: FreezePort<'getBranchState'>, ref: BranchRef, error: unknown): Promise<never> {
  if (error instanceof IllegalTransitionError && error.from === 'LOCKED_FOR_WRITE') {
    const status = await ops.bot.freeze.getBranchState(ref);
    if (status.locks.length > 0) throw new LockConflictError(status.locks, retryAfterSeconds(status.locks, status.now));
  }
  throw error;
}

/** `indexing.started`: the branch is LOCKED_FOR_WRITE; open PRs into it fail `aegis/freeze`. */
export const indexingStarted: OperationHandler<
  'indexing.started',
  FreezePort<'lockForIndexing' | 'getBranchState'> & Reevaluates
> = async (ops, input, caller) => {
  const ref = { repo: input.repo, branch: input.branch };
  const out = await ops.bot.freeze
    .lockForIndexing(
      {
        repo: input.repo,
        branch: input.branch,
        holder: caller.identity,
        indexingId: input.indexingId,
        ...(input.commit ? { commit: input.commit } : {}),
        ...(input.reason ? { reason: input.reason } : {}),
        ...(input.ttlSeconds ? { ttlMs: input.ttlSeconds * 1000 } : {}),
      },
      actorContext(caller),
    )
    .catch((error: unknown) => asFrozen(ops, ref, error));
  return result(out, await reevaluate(ops, out.ref, out.affected));
};

/**
 * `indexing.completed` (seed 001): LOCKED_FOR_WRITE → READY, PRs re-checked, then the auto-merge conditions
 * for the open PRs whose head is the indexed branch (validation passed, no conflicts, enabled, not timed out).
 */
export const indexingCompleted: OperationHandler<
  'indexing.completed',
  FreezePort<'completeIndexing' | 'appendAudit'> & MetricsPort & Reevaluates & AutoMergeContext
> = async (ops, input, caller) => {
  const ref = { repo: input.repo, branch: input.branch };
  const ctx = actorContext(caller);
  const out = await ops.bot.freeze.completeIndexing(ref, ctx, {
    ...(input.indexingId ? { indexingId: input.indexingId } : {}),
    ...reportedDuration(input),
    reason:
      input.recordsIndexed === undefined ? 'indexing completed' : `indexing completed: ${input.recordsIndexed} records`,
  });
  observe(ops, out, 'completed');
  const validation = input.validation ?? { passed: true, errors: [] };
  await ops.bot.freeze.appendAudit({
    ...ref,
    ...ctx,
    issue: ctx.issue ?? null,
    delivery: ctx.delivery ?? null,
    action: 'indexing.validated',
    resourceType: 'indexing',
    resourceId: input.indexingId ?? null,
    reason: validation.passed
      ? 'validation passed'
      : `validation failed: ${validation.errors.join('; ') || 'no detail'}`,
    new: { ...validation, commit: input.commit ?? null },
  });
  const reevaluated = await reevaluate(ops, ref, out.affected);
  const autoMerge = await evaluateAutoMerge(ops, { kind: 'indexed', ref, validation, commit: input.commit }, caller);
  return result(out, reevaluated, autoMerge);
};

/** What a PR is told when indexing of its base branch (`into`) or of its own head branch (`from`) failed. */
function failureMessage(branch: string, side: 'into' | 'from', actor: string, error: string): string {
  const what = side === 'into' ? `\`${branch}\`` : `this PR's branch \`${branch}\``;
  const next =
    side === 'into'
      ? 'An admin recovers it with `/force-unlock <reason>` or the indexing service starts again.'
      : 'Its index is not ready, so auto-merge waits until the indexing service indexes it again.';
  return (
    `⚠️ Indexing of ${what} by ${actor} failed: ${error}\n\n` +
    `The branch is now **ERROR** and its locks were released. ${next}`
  );
}

/** Tells the open PRs into the failed branch and those whose head it is, each on its PR and linked issue. */
async function tellFailure(
  ops: PullTeller & RepoReach,
  access: RepoAccess,
  branch: string,
  error: string,
  caller: Caller,
): Promise<void> {
  for (const pull of await access.gh.openPulls()) {
    const side = pull.baseRef === branch ? 'into' : pull.headRef === branch ? 'from' : undefined;
    if (!side) continue;
    await tellPull(ops, access, pull, {
      action: 'indexing.failed.notified',
      message: failureMessage(branch, side, caller.identity, error),
      actor: caller.identity,
      ...(caller.delivery ? { delivery: caller.delivery } : {}),
      details: { branch, side },
    });
  }
}

/**
 * `indexing.failed`: → ERROR, every lock released; the open PRs into the branch and the open PRs whose head
 * it is (seed 001 scenario 2: the author of the indexed change must hear of it) and their issues are told.
 */
export const indexingFailed: OperationHandler<
  'indexing.failed',
  FreezePort<'failIndexing'> & MetricsPort & Reevaluates & PullTeller
> = async (ops, input, caller) => {
  const ref = { repo: input.repo, branch: input.branch };
  const out = await ops.bot.freeze.failIndexing(ref, input.error, actorContext(caller), {
    ...(input.indexingId ? { indexingId: input.indexingId } : {}),
    ...reportedDuration(input),
  });
  observe(ops, out, 'failed');
  const reevaluated = await reevaluate(ops, ref, out.affected);
  const access = await repoAccess(ops, ref.repo);
  if (access) await tellFailure(ops, access, ref.branch, input.error, caller);
  return result(out, reevaluated);
};

/** `indexing.heartbeat`: the holder renews its run's lock (fencing token or indexing id); a stale holder cannot. */
export const indexingHeartbeat: OperationHandler<'indexing.heartbeat', FreezePort<'heartbeatIndexing'>> = async (
  ops,
  input,
  caller,
) => {
  const ref = { repo: input.repo, branch: input.branch };
  const lock = await ops.bot.freeze.heartbeatIndexing(
    ref,
    {
      caller: caller.identity,
      ...(input.indexingId !== undefined ? { indexingId: input.indexingId } : {}),
      ...(input.fencingToken !== undefined ? { token: input.fencingToken } : {}),
    },
    input.ttlSeconds ? input.ttlSeconds * 1000 : undefined,
  );
  return { ...ref, lock };
};
