import type { AuditLog } from './audit-log.js';
import { newAuditRecord } from './audit-record.js';
import { AuditReconciler, type DrainReport } from './audit-reconciler.js';
import { checkRef } from './check-ref.js';
import type { BranchChanges, FreezeConfig } from './branch-changes.js';
import { NotLockHolderError } from './errors.js';
import {
  decideAcquire,
  decideForceUnlock,
  decideHeartbeat,
  decideRelease,
  decideTransition,
  effectiveState,
} from './domain/branch-decisions.js';
import type { IndexingRun } from './domain/indexing-decisions.js';
import { archiveBranch, endIndexing, heartbeatIndexing, startIndexing } from './indexing-runs.js';
import type { TransitionTrigger } from './domain/branch-transitions.js';
import { affectedResources, locksBlockingWrite, retryAfterSeconds } from './domain/lock-conflicts.js';
import type {
  AcquireLockInput,
  ArchiveOutcome,
  IndexingEndOptions,
  ForceUnlockOutcome,
  IndexingOutcome,
  IndexingStart,
  LockOutcome,
  ReleaseOutcome,
  TransitionOutcome,
  WriteCheck,
} from './outcomes.js';
import { SHADOW_IN_FLIGHT } from './domain/shadow-lifecycle.js';
import { ShadowService } from './shadow-service.js';
import { toStatus } from './to-status.js';
import type { BranchDecision, BranchSnapshot, BranchUpdate, StateStore } from './state-store.js';
import type {
  ActorContext,
  AuditInput,
  AuditPage,
  AuditQuery,
  AuditRecord,
  BranchRef,
  BranchState,
  BranchStatus,
  Lock,
  LockHandle,
  ShadowBuild,
} from './types.js';

/** `auditPending` on an outcome only when records wait in the outbox. */
const pending = (auditPending: boolean): { auditPending?: true } => (auditPending ? { auditPending } : {});

const DEFAULTS: Required<FreezeConfig> = {
  defaultLockTtlMs: 30 * 60_000,
  indexingTtlMs: 30 * 60_000,
  switchLockTtlMs: 10_000,
  sizeTolerance: 0.5,
  readyTimeoutMs: 24 * 3600_000,
};

/** `dashboard()`: what an operations page shows. */
export interface Dashboard {
  branches: BranchStatus[];
  shadows: ShadowBuild[];
  recentAudit: AuditRecord[];
  totals: { activeLocks: number; lockedBranches: number; shadowsInFlight: number };
}

/**
 * The operations the bot, the HTTP API and the CLI call. Every change is decided by the pure domain
 * (`domain/`), applied atomically by the `StateStore`, appended to the `AuditLog`, and returned with the
 * affected resources so callers can notify (e.g. re-run `aegis/freeze` on open PRs).
 */
export class FreezeService implements BranchChanges {
  readonly config: Required<FreezeConfig>;
  /** Shadow index builds and the atomic switch. */
  readonly shadow: ShadowService;
  /** Drains the state store's audit outbox into the audit log (stores that queue audit: Redis). */
  readonly reconciler: AuditReconciler | undefined;

  constructor(
    readonly store: StateStore,
    readonly audit: AuditLog,
    config: FreezeConfig = {},
  ) {
    this.config = { ...DEFAULTS, ...config };
    this.shadow = new ShadowService(this, store);
    this.reconciler = store.outbox ? new AuditReconciler(store.outbox, audit) : undefined;
  }

  /** The branch's effective state and live locks (one store round trip). */
  async getBranchState(ref: BranchRef): Promise<BranchStatus> {
    return toStatus(this.withPolicy(await this.store.readBranch(ref)));
  }

  /** Branches with a stored state or live locks (dashboard, metrics). */
  async listBranches(repo?: string): Promise<BranchStatus[]> {
    return (await this.store.listBranches(repo)).map((s) => toStatus(this.withPolicy(s)));
  }

  /** Every live lock, optionally of one repository. */
  async listLocks(repo?: string): Promise<Lock[]> {
    return (await this.listBranches(repo)).flatMap((b) => b.locks);
  }

  /**
   * Everything a dashboard shows (seed 000's dashboard route): branches with a state or locks (locks carry
   * their TTLs), shadow builds in flight with progress/ETA, and the most recent audit records.
   */
  async dashboard(repo?: string, auditLimit = 20): Promise<Dashboard> {
    const [branches, shadows, audit] = await Promise.all([
      this.listBranches(repo),
      this.store.listShadows({ ...(repo ? { repo } : {}), states: SHADOW_IN_FLIGHT }),
      this.audit.query({ ...(repo ? { repo } : {}), limit: auditLimit }),
    ]);
    const locks = branches.flatMap((b) => b.locks);
    return {
      branches,
      shadows,
      recentAudit: audit.records,
      totals: {
        activeLocks: locks.length,
        lockedBranches: branches.filter((b) => b.locks.length > 0 || b.state === 'LOCKED_FOR_WRITE').length,
        shadowsInFlight: shadows.length,
      },
    };
  }

  /** May these resources (`type:id`) be written on the branch? One store round trip. */
  async checkWrite(ref: BranchRef, resources: readonly string[]): Promise<WriteCheck> {
    const snap = this.withPolicy(await this.store.readBranch(ref));
    const state = effectiveState(snap);
    const blocked = locksBlockingWrite(resources, snap.locks, snap.now);
    if (blocked.length === 0) return { allowed: true, state };
    const first = blocked[0] as Lock;
    return {
      allowed: false,
      state,
      blocked,
      retryAfterSeconds: retryAfterSeconds(blocked, snap.now),
      reason: `locked by ${first.holder}: ${first.reason}`,
    };
  }

  /** Takes a lock or throws `LockConflictError` (with the blocking locks and retry-after). */
  async acquireLock(input: AcquireLockInput, ctx: ActorContext): Promise<LockOutcome> {
    const ref = { repo: input.repo, branch: input.branch };
    const request = {
      ...input,
      kind: input.kind ?? 'MANUAL',
      ttlMs: input.ttlMs ?? this.config.defaultLockTtlMs,
      meta: input.meta ?? {},
    };
    const { added, after, audit, auditPending } = await this.change(
      ref,
      (s) => decideAcquire(s, request),
      ctx,
      'lock.acquired',
      (u) => {
        const acquired = u.added[0] as Lock;
        return { reason: acquired.reason, ...this.lockSubject(acquired), new: acquired };
      },
    );
    const lock = added[0] as Lock;
    return { ref, lock, affected: [affectedResources(lock)], audit, ...pending(auditPending), status: toStatus(after) };
  }

  /** Releases a lock; only the holder's id + fencing token may (else `NotLockHolderError`). */
  async releaseLock(handle: LockHandle, ctx: ActorContext): Promise<ReleaseOutcome> {
    const ref = { repo: handle.repo, branch: handle.branch };
    const {
      result: released,
      after,
      audit,
      auditPending,
    } = await this.change(
      ref,
      (s) => decideRelease(s, handle),
      ctx,
      'lock.released',
      (u) => ({ ...this.lockSubject(u.result), old: u.result }),
    );
    const status = toStatus(after);
    return { ref, released, affected: [affectedResources(released)], audit, ...pending(auditPending), status };
  }

  /** Extends a lock's expiry (by `ttlMs`, default its own TTL); `NotLockHolderError` once it is gone. */
  async heartbeat(handle: LockHandle, ttlMs?: number): Promise<Lock> {
    const ref = { repo: handle.repo, branch: handle.branch };
    const { after } = await this.store.updateBranch(ref, (s) => decideHeartbeat(s, handle, ttlMs));
    const lock = after.locks.find((l) => l.id === handle.id);
    // It can expire between the decision and the write (Redis); then it is gone, as for any late heartbeat.
    if (!lock) throw new NotLockHolderError(`lock ${handle.id} expired before the heartbeat`);
    return lock;
  }

  /** Admin emergency unlock: every lock on the branch released, state → ACTIVE, with a reason. */
  async forceUnlock(ref: BranchRef, reason: string, ctx: ActorContext): Promise<ForceUnlockOutcome> {
    const { result, after, audit, auditPending } = await this.change(
      ref,
      (s) => decideForceUnlock(s, reason, ctx.actor),
      ctx,
      'branch.force-unlock',
      (u) => ({ reason, old: { state: u.result.from, locks: u.result.released }, new: { state: 'ACTIVE' } }),
    );
    return { ref, ...result, affected: ['*'], audit, ...pending(auditPending), status: toStatus(after) };
  }

  /** A state change by trigger (`merged`, `timeout`, `recovered`, `deleted`, `restored`, `force-unlock`). */
  async transition(
    ref: BranchRef,
    to: BranchState,
    trigger: TransitionTrigger,
    reason: string,
    ctx: ActorContext,
  ): Promise<TransitionOutcome> {
    const action = trigger === 'merged' ? 'branch.merged' : 'branch.state-changed';
    const { result, after, audit, auditPending } = await this.change(
      ref,
      (s) => decideTransition(s, to, trigger, reason, ctx.actor),
      ctx,
      action,
      (u) => ({ reason, old: { state: u.result.from }, new: { state: to, trigger } }),
    );
    return {
      ref,
      from: result.from,
      to,
      released: result.released,
      affected: result.released.length ? ['*'] : [],
      audit,
      ...pending(auditPending),
      status: toStatus(after),
    };
  }

  /**
   * Indexing starts (seed 000): BRANCH lock of kind INDEXING + LOCKED_FOR_WRITE, atomically. The same holder
   * sending the same start again renews its lock instead of conflicting with it (`repeated`).
   */
  async lockForIndexing(input: IndexingStart, ctx: ActorContext): Promise<IndexingOutcome> {
    return startIndexing(this, input, ctx);
  }

  /** The run's holder renews its indexing lock, naming the run by id or fencing token; a stale holder cannot. */
  async heartbeatIndexing(ref: BranchRef, run: IndexingRun, ttlMs?: number): Promise<Lock> {
    return heartbeatIndexing(this, ref, run, ttlMs);
  }

  /**
   * Indexing done (seed 001): LOCKED_FOR_WRITE → READY, lock released, duration measured. With `caller`, the
   * run must be named (indexing id or token) and the caller must hold it, or be an admin (audited as an override).
   */
  async completeIndexing(ref: BranchRef, ctx: ActorContext, opts: IndexingEndOptions = {}): Promise<IndexingOutcome> {
    return endIndexing(this, ref, ctx, 'completed', opts);
  }

  /** Indexing failed (seed 001): → ERROR, every lock released, duration measured; an admin recovers. */
  async failIndexing(
    ref: BranchRef,
    error: string,
    ctx: ActorContext,
    opts: IndexingEndOptions = {},
  ): Promise<IndexingOutcome> {
    return endIndexing(this, ref, ctx, 'failed', { ...opts, reason: error });
  }

  /**
   * The branch was deleted (seed 000): → ARCHIVED from any state, every lock released, its shadow builds in
   * flight cancelled. Archiving an archived branch changes nothing.
   */
  async archiveBranch(ref: BranchRef, reason: string, ctx: ActorContext): Promise<ArchiveOutcome> {
    return archiveBranch(this, ref, reason, ctx);
  }

  /** True the first time (event id, commit) is seen within `ttlMs` (default 24 h): idempotent consumers. */
  async firstDelivery(eventId: string, commit: string, ttlMs = 24 * 3600_000): Promise<boolean> {
    return this.store.dedupe(`${eventId}@${commit}`, ttlMs);
  }

  /** Forgets (event id, commit): its work failed, so a redelivery of it is first again. */
  async forgetDelivery(eventId: string, commit: string): Promise<void> {
    await this.store.forget(`${eventId}@${commit}`);
  }

  /**
   * Adds `member` to the set `key` (say, who pushed to a pull request), kept `ttlMs` (default 180 days) from
   * its latest addition; true when the member is new.
   */
  async addMember(key: string, member: string, ttlMs = 180 * 24 * 3600_000): Promise<boolean> {
    return this.store.addMember(key, member, ttlMs);
  }

  /** The members of the set `key`, in the order they were first added. */
  async members(key: string): Promise<string[]> {
    return this.store.members(key);
  }

  /**
   * Appends an audit record (for callers' own actions, e.g. denials and merges). Where the state store queues
   * audit (Redis), the record is queued there first and drained at once, so an unreachable audit log delays it
   * instead of losing it.
   */
  async appendAudit(input: AuditInput): Promise<AuditRecord> {
    if (!this.store.outbox) return this.audit.append(input);
    const record = newAuditRecord(input);
    checkRef(record);
    await this.store.outbox.enqueue([record]);
    await this.settle();
    return record;
  }

  /**
   * Writes whatever the state store's outbox holds to the audit log (start-up, periodically, after a change);
   * records already there are skipped, never doubled. Nothing to do where the store writes audit itself (SQL).
   */
  async reconcileAudit(): Promise<DrainReport> {
    return this.reconciler ? this.reconciler.drain() : { written: 0, skipped: 0, parked: 0 };
  }

  /** Queries the audit log, newest first, paged. */
  async queryAudit(query: AuditQuery): Promise<AuditPage> {
    return this.audit.query(query);
  }

  /** @internal The audit subject of a lock. */
  lockSubject(lock: Lock): { resourceType: string | null; resourceId: string | null } {
    return {
      resourceType: lock.resourceType ?? (lock.scope === 'BRANCH' ? 'branch' : null),
      resourceId: lock.resourceId ?? lock.id,
    };
  }

  /** @internal Runs a decision over the branch with the service's READY timeout in the snapshot. */
  update<T>(ref: BranchRef, decide: (snapshot: BranchSnapshot) => BranchDecision<T>): Promise<BranchUpdate<T>> {
    return this.store.updateBranch(ref, (s) => decide(this.withPolicy(s)));
  }

  /**
   * @internal Runs a decision and records it: `fields` turns the outcome into the audit record (null: none).
   * The store records it in the same atomic step as the change: SQL in the change's transaction, Redis in its
   * audit outbox (in the change's script), drained into the audit log right after. The change stands either way;
   * `auditPending` says its records are still queued because the audit log could not be reached.
   */
  async change<T>(
    ref: BranchRef,
    decide: (snapshot: BranchSnapshot) => BranchDecision<T>,
    ctx: ActorContext,
    action: string,
    fields: (update: BranchUpdate<T>) => Partial<AuditInput> | null,
  ): Promise<BranchUpdate<T> & { audit: AuditRecord[]; auditPending: boolean }> {
    const inputs = (u: BranchUpdate<T>): AuditInput[] => {
      const f = fields(u);
      return f ? [this.auditInput(ctx, ref, action, f)] : [];
    };
    const update = await this.store.updateBranch(ref, (s) => decide(this.withPolicy(s)), inputs);
    // A store that records nothing itself (none of ours): append after the change.
    const audit = update.audit ?? (await Promise.all(inputs(update).map((i) => this.audit.append(i))));
    const auditPending = this.store.outbox !== undefined && audit.length > 0 && !(await this.settle());
    return { ...update, audit, auditPending };
  }

  /** @internal Drains the audit outbox; false when it could not (the records stay queued for the next drain). */
  async settle(): Promise<boolean> {
    try {
      await this.reconciler?.drain();
      return true;
    } catch {
      // The periodic drain retries and reports; the caller says the record is queued.
      return false;
    }
  }

  /** @internal The snapshot as the service's policy sees it. */
  withPolicy(s: BranchSnapshot): BranchSnapshot {
    return { ...s, readyTimeoutMs: this.config.readyTimeoutMs };
  }

  /** @internal Appends one audit record for a change made by `ctx` (queued first where the store queues audit). */
  async record(ctx: ActorContext, ref: BranchRef, action: string, fields: Partial<AuditInput>): Promise<AuditRecord[]> {
    return [await this.appendAudit(this.auditInput(ctx, ref, action, fields))];
  }

  /** @internal The audit record of a change by `ctx`, made now, for a store to write with the change. */
  auditRecord(ctx: ActorContext, ref: BranchRef, action: string, fields: Partial<AuditInput>): AuditRecord {
    const record = newAuditRecord(this.auditInput(ctx, ref, action, fields));
    checkRef(record);
    return record;
  }

  private auditInput(ctx: ActorContext, ref: BranchRef, action: string, fields: Partial<AuditInput>): AuditInput {
    return {
      ...fields,
      repo: ref.repo,
      branch: ref.branch,
      actor: ctx.actor,
      action,
      issue: ctx.issue ?? null,
      delivery: ctx.delivery ?? null,
      ipAddress: ctx.ipAddress ?? null,
      userAgent: ctx.userAgent ?? null,
    };
  }
}
