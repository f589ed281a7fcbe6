import type { ShadowBuild } from '@aegis/freeze';
import type { AutoMergeContext } from '../auto-merge/auto-merge-context.js';
import { evaluateAutoMerge } from '../auto-merge/evaluate-auto-merge.js';
import { actorContext } from './after-change.js';
import type { Caller, OperationContext, OperationHandler, ShadowResult } from './index.js';
import { operationMetrics } from './operation-metrics.js';
import type { MetricsPort, ShadowPort } from './operation-ports.js';
import { treeHashAt } from './tree-hash.js';
import type { TreeHashReach } from './tree-hash.js';

/** What switching a build in uses: the branch head's registry tree, the switch, and its duration metric. */
type Switches = TreeHashReach & ShadowPort<'switch'> & MetricsPort;

/** A build with seed 002's status fields beside it. */
const view = (shadow: ShadowBuild): ShadowResult => ({
  shadow,
  shadowIndexId: shadow.id,
  branchName: shadow.branch,
  indexType: shadow.indexType,
  state: shadow.state,
  buildProgressPercent: shadow.progressPercent,
  switchReady: shadow.state === 'BUILT',
  // The switch swaps a pointer under a lock held for milliseconds: well under the seed's 1–3 s estimate.
  estimatedSwitchDurationSeconds: 1,
  estimatedCompletionSeconds: shadow.etaSeconds,
  indexSizeBytes: shadow.sizeBytes,
  recordCount: shadow.recordCount,
  createdAt: shadow.createdAt,
  completedAt: shadow.completedAt,
  error: shadow.error,
});

/** `shadow.start`: a build with no lock; its tree hash is the branch head's (or the given commit's) registry. */
export const shadowStart: OperationHandler<'shadow.start', TreeHashReach & ShadowPort<'start'>> = async (
  ops,
  input,
  caller,
) => {
  const treeHash =
    input.treeHash ??
    (await treeHashAt(ops, input.repo, input.commit ? { commit: input.commit } : { branch: input.branch }));
  const out = await ops.bot.freeze.shadow.start(
    {
      repo: input.repo,
      branch: input.branch,
      indexType: input.indexType,
      resourceTypes: input.resourceTypes ?? ['schema'],
      treeHash,
    },
    actorContext(caller),
  );
  const eta = out.shadow.etaSeconds;
  return {
    ...view(out.shadow),
    message: 'Shadow index build started',
    estimatedBuildTimeMinutes: eta === null ? null : Math.ceil(eta / 60),
  };
};

/** `shadow.progress`: percent, ETA (reported or extrapolated), records so far. */
export const shadowProgress: OperationHandler<'shadow.progress', ShadowPort<'progress'>> = async (ops, input) =>
  view(
    await ops.bot.freeze.shadow.progress(input.shadowId, {
      progressPercent: input.progressPercent,
      ...(input.etaSeconds !== undefined ? { etaSeconds: input.etaSeconds } : {}),
      ...(input.recordCount !== undefined ? { recordCount: input.recordCount } : {}),
    }),
  );

/** `shadow.complete`: BUILT; PRs with auto-merge on whose head tree this build matches may now merge. */
export const shadowComplete: OperationHandler<
  'shadow.complete',
  ShadowPort<'complete' | 'status'> & AutoMergeContext & Switches & Pick<OperationContext, 'autoSwitch'>
> = async (ops, input, caller) => {
  const out = await ops.bot.freeze.shadow.complete(
    input.shadowId,
    { recordCount: input.recordCount, sizeBytes: input.sizeBytes },
    actorContext(caller),
  );
  await evaluateAutoMerge(ops, { kind: 'shadow-built', shadow: out.shadow }, caller);
  const now = await ops.bot.freeze.shadow.status(input.shadowId);
  if (ops.autoSwitch && now.state === 'BUILT') await autoSwitch(ops, now, caller);
  return view(await ops.bot.freeze.shadow.status(input.shadowId));
};

/** Seed 002's auto-switch: only a build of the branch head's current tree; anything else waits for a PR or a person. */
async function autoSwitch(ops: Switches, build: ShadowBuild, caller: Caller): Promise<void> {
  const head = await treeHashAt(ops, build.repo, { branch: build.branch }).catch(() => undefined);
  if (head !== build.treeHash) return;
  const out = await ops.bot.freeze.shadow.switch(build.id, { currentTreeHash: head }, actorContext(caller));
  operationMetrics(ops.bot.metrics.registry).switchDuration.observe(
    { outcome: out.switched ? 'switched' : 'refused' },
    out.switchDurationMs / 1000,
  );
}

/** `shadow.switch`: the checks against the branch head's tree (unless given), then the atomic swap. */
export const shadowSwitch: OperationHandler<'shadow.switch', ShadowPort<'status'> & Switches> = async (
  ops,
  input,
  caller,
) => {
  const build = await ops.bot.freeze.shadow.status(input.shadowId);
  const currentTreeHash = input.currentTreeHash ?? (await treeHashAt(ops, build.repo, { branch: build.branch }));
  const out = await ops.bot.freeze.shadow.switch(
    input.shadowId,
    { currentTreeHash, ...(input.force ? { force: true } : {}), ...(input.checks ? { checks: input.checks } : {}) },
    actorContext(caller),
  );
  operationMetrics(ops.bot.metrics.registry).switchDuration.observe(
    { outcome: out.switched ? 'switched' : 'refused' },
    out.switchDurationMs / 1000,
  );
  const ms = Math.round(out.switchDurationMs);
  return {
    ...view(out.shadow),
    success: out.switched,
    switchDurationMs: ms,
    checks: out.checks,
    errors: out.errors,
    pointer: out.pointer,
    validationPassed: out.validationPassed,
    verificationPassed: out.verification?.verificationPassed ?? false,
    verification: out.verification,
    rolledBack: out.rolledBack,
    forced: out.forced,
    message: out.switched
      ? `Index switch completed successfully in ${ms}ms`
      : `Index switch refused: ${out.errors.join('; ')}`,
  };
};

/** `shadow.fail`: → FAILED from any state before ACTIVE, releasing its switch locks and its slot (audited). */
export const shadowFail: OperationHandler<'shadow.fail', ShadowPort<'fail'>> = async (ops, input, caller) =>
  view((await ops.bot.freeze.shadow.fail(input.shadowId, input.error, actorContext(caller))).shadow);

/** `shadow.cancel`. */
export const shadowCancel: OperationHandler<'shadow.cancel', ShadowPort<'cancel'>> = async (ops, input, caller) =>
  view((await ops.bot.freeze.shadow.cancel(input.shadowId, input.reason ?? 'cancelled', actorContext(caller))).shadow);

/** `shadow.status`. */
export const shadowStatus: OperationHandler<'shadow.status', ShadowPort<'status'>> = async (ops, input) =>
  view(await ops.bot.freeze.shadow.status(input.shadowId));
