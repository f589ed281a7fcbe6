import { NotLockHolderError } from './errors.js';
import { decideTransition } from './domain/branch-decisions.js';
import {
  decideIndexingComplete,
  decideIndexingFail,
  decideIndexingHeartbeat,
  decideIndexingStart,
  type IndexingRun,
  type RunSelector,
} from './domain/indexing-decisions.js';
import { SHADOW_IN_FLIGHT } from './domain/shadow-lifecycle.js';
import type { BranchChanges } from './branch-changes.js';
import type { ArchiveOutcome, IndexingEndOptions, IndexingOutcome, IndexingStart } from './outcomes.js';
import { toStatus } from './to-status.js';
import type { ActorContext, AuditRecord, BranchRef, Lock } from './types.js';

/** The indexing operations of `FreezeService` (start, heartbeat, complete, fail) and branch archiving. */

/** Seed 000: BRANCH INDEXING lock + LOCKED_FOR_WRITE; a repeated start by the holder renews its own lock. */
export async function startIndexing(
  svc: BranchChanges,
  input: IndexingStart,
  ctx: ActorContext,
): Promise<IndexingOutcome> {
  const ref = { repo: input.repo, branch: input.branch };
  const meta: Record<string, string> = {};
  if (input.indexingId) meta['indexingId'] = input.indexingId;
  if (input.commit) meta['commit'] = input.commit;
  const request = {
    scope: 'BRANCH' as const,
    kind: 'INDEXING' as const,
    holder: input.holder,
    reason: input.reason ?? `indexing by ${input.holder}`,
    ttlMs: input.ttlMs ?? svc.config.indexingTtlMs,
    meta,
  };
  const { result, added, after, audit, auditPending } = await svc.change(
    ref,
    (s) => decideIndexingStart(s, request, ctx.actor),
    ctx,
    'indexing.started',
    // A repeated start renews the holder's own lock: nothing new to record.
    (u) =>
      u.result.repeated
        ? null
        : {
            reason: (u.added[0] as Lock).reason,
            old: { state: u.result.from },
            new: { state: 'LOCKED_FOR_WRITE', lock: u.added[0] },
          },
  );
  const base = { ref, to: 'LOCKED_FOR_WRITE' as const, durationMs: null, released: [], affected: ['*'] };
  if (result.repeated) {
    const lock = after.locks.find((l) => l.id === result.repeated?.id) ?? result.repeated;
    return { ...base, from: result.from, lock, repeated: true, audit: [], status: toStatus(svc.withPolicy(after)) };
  }
  const lock = added[0] as Lock;
  const status = toStatus(svc.withPolicy(after));
  return {
    ...base,
    from: result.from,
    lock,
    repeated: false,
    audit,
    ...(auditPending ? { auditPending } : {}),
    status,
  };
}

/** The run's holder renews its INDEXING lock (fencing token or indexing id checked). */
export async function heartbeatIndexing(
  svc: BranchChanges,
  ref: BranchRef,
  run: IndexingRun,
  ttlMs?: number,
): Promise<Lock> {
  const { result, after } = await svc.update(ref, (s) => decideIndexingHeartbeat(s, run, ttlMs));
  const lock = after.locks.find((l) => l.id === result.id);
  if (!lock) throw new NotLockHolderError(`indexing lock ${result.id} expired before the heartbeat`);
  return lock;
}

/** Completion (→ READY) or failure (→ ERROR, every lock released) of the run the options name. */
export async function endIndexing(
  svc: BranchChanges,
  ref: BranchRef,
  ctx: ActorContext,
  how: 'completed' | 'failed',
  opts: IndexingEndOptions,
): Promise<IndexingOutcome> {
  const reason = opts.reason ?? `indexing ${how}`;
  const run: RunSelector =
    opts.caller === undefined
      ? { ...(opts.indexingId !== undefined ? { indexingId: opts.indexingId } : {}) }
      : {
          caller: opts.caller,
          admin: opts.admin === true,
          ...(opts.indexingId !== undefined ? { indexingId: opts.indexingId } : {}),
          ...(opts.token !== undefined ? { token: opts.token } : {}),
        };
  const decide = how === 'completed' ? decideIndexingComplete : decideIndexingFail;
  const duration = (measured: number): number => opts.durationMs ?? measured;
  const to = how === 'completed' ? 'READY' : 'ERROR';
  const { result, after, audit, auditPending } = await svc.change(
    ref,
    (s) => decide(s, run, reason, ctx.actor),
    ctx,
    `indexing.${how}`,
    ({ result: r }) => ({
      reason: `${reason}${r.override ? ` (ended by admin ${ctx.actor} for ${r.lock.holder})` : ''}`,
      resourceType: 'indexing',
      resourceId: r.lock.meta['indexingId'] ?? r.lock.id,
      old: { state: r.from, lock: r.lock },
      new: { state: to, durationMs: duration(r.durationMs), ...(r.override ? { override: true } : {}) },
    }),
  );
  return {
    ref,
    from: result.from,
    to,
    lock: result.lock,
    durationMs: duration(result.durationMs),
    released: result.released,
    repeated: false,
    affected: ['*'],
    audit,
    ...(auditPending ? { auditPending } : {}),
    status: toStatus(svc.withPolicy(after)),
  };
}

/**
 * Seed 000: a deleted branch is ARCHIVED, its locks released and its shadow builds in flight cancelled. The
 * archive and its record are one step (`change`), and so is each cancellation and its `shadow.cancelled` record.
 */
export async function archiveBranch(
  svc: BranchChanges,
  ref: BranchRef,
  reason: string,
  ctx: ActorContext,
): Promise<ArchiveOutcome> {
  const { result, after, audit, auditPending } = await svc.change(
    ref,
    (s) =>
      s.state === 'ARCHIVED' ? { result: null } : { ...decideTransition(s, 'ARCHIVED', 'deleted', reason, ctx.actor) },
    ctx,
    'branch.archived',
    ({ result: r }) =>
      r && {
        reason,
        resourceType: 'branch',
        resourceId: ref.branch,
        old: { state: r.from, locks: r.released },
        new: { state: 'ARCHIVED' },
      },
  );
  const status = toStatus(svc.withPolicy(after));
  if (!result) return { ref, archived: false, released: [], cancelled: [], affected: [], audit: [], status };
  const cancelled = await cancelShadows(svc, ref, reason, ctx);
  const records = [...audit, ...cancelled.map((c) => c.record)];
  const pending = auditPending || (cancelled.length > 0 && !(await svc.settle()));
  return {
    ref,
    archived: true,
    released: result.released,
    cancelled: cancelled.map((c) => c.id),
    affected: ['*'],
    audit: records,
    ...(pending ? { auditPending: true } : {}),
    status,
  };
}

/** Cancels the branch's builds in flight, each with its record in the same step (a build mid-switch is left to its switch). */
async function cancelShadows(svc: BranchChanges, ref: BranchRef, reason: string, ctx: ActorContext) {
  const stoppable = SHADOW_IN_FLIGHT.filter((st) => st !== 'SWITCHING');
  const cancelled: { id: string; record: AuditRecord }[] = [];
  for (const shadow of await svc.store.listShadows({ ...ref, states: stoppable })) {
    const error = `branch archived: ${reason}`;
    const record = svc.auditRecord(ctx, ref, 'shadow.cancelled', {
      resourceType: 'shadow',
      resourceId: shadow.id,
      reason: error,
    });
    const moved = await svc.store.updateShadow(
      shadow.id,
      stoppable,
      { state: 'CANCELLED', error, updatedAt: Date.now() },
      [record],
    );
    if (moved) cancelled.push({ id: shadow.id, record });
  }
  return cancelled;
}
