import type { BranchDecision, BranchSnapshot, BranchUpdate, StateStore } from './state-store.js';
import type { ActorContext, AuditInput, AuditRecord, BranchRef, BranchStatus } from './types.js';

/** Tunables of the service (all optional). */
export interface FreezeConfig {
  /** TTL of `acquireLock` when none is given (default 30 min). */
  defaultLockTtlMs?: number;
  /** TTL of an indexing lock when none is given (default 30 min, seed 000's retry_after 1800). */
  indexingTtlMs?: number;
  /** TTL of the RESOURCE_TYPE lock held only during a shadow switch (default 10 s, seed 002). */
  switchLockTtlMs?: number;
  /** Allowed relative size change for SIZE_COMPARISON (default 0.5 = ±50 %). */
  sizeTolerance?: number;
  /** How long a branch stays READY before it counts as ACTIVE again (seed 000's timeout; default 24 h). */
  readyTimeoutMs?: number;
}

/**
 * What the indexing runs and the shadow services need of `FreezeService`: decide-and-apply a change, record
 * it, read a branch. A narrow port, so those modules depend on these few methods and not on the service
 * that composes them (which would be an import cycle).
 */
export interface BranchChanges {
  readonly config: Required<FreezeConfig>;
  readonly store: StateStore;
  /** Runs a decision over the branch with the service's READY timeout in the snapshot. */
  update<T>(ref: BranchRef, decide: (snapshot: BranchSnapshot) => BranchDecision<T>): Promise<BranchUpdate<T>>;
  /** Runs a decision and records it: `fields` turns the outcome into the audit record (null: none). */
  change<T>(
    ref: BranchRef,
    decide: (snapshot: BranchSnapshot) => BranchDecision<T>,
    ctx: ActorContext,
    action: string,
    fields: (update: BranchUpdate<T>) => Partial<AuditInput> | null,
  ): Promise<BranchUpdate<T> & { audit: AuditRecord[]; auditPending: boolean }>;
  /** The snapshot as the service's policy sees it. */
  withPolicy(s: BranchSnapshot): BranchSnapshot;
  /** Appends one audit record for a change made by `ctx`. */
  record(ctx: ActorContext, ref: BranchRef, action: string, fields: Partial<AuditInput>): Promise<AuditRecord[]>;
  /** The audit record of a change by `ctx`, made now, for the store to write in the change's own atomic step. */
  auditRecord(ctx: ActorContext, ref: BranchRef, action: string, fields: Partial<AuditInput>): AuditRecord;
  /** Drains records a store queued with a change into the audit log; false when they stay queued for now. */
  settle(): Promise<boolean>;
  /** The branch's effective state and live locks. */
  getBranchState(ref: BranchRef): Promise<BranchStatus>;
}
