import type { AuditOutbox } from './audit-outbox.js';
import type {
  AuditInput,
  AuditRecord,
  BranchRef,
  BranchState,
  IndexPointer,
  Lock,
  LockKind,
  LockTarget,
  ShadowBuild,
  ShadowState,
} from './types.js';

/** A consistent read of one branch: stored state, live locks, the store's clock and a version for CAS. */
export interface BranchSnapshot extends BranchRef {
  state: BranchState;
  since: number;
  reason: string;
  actor: string;
  /** Live (unexpired) locks only. */
  locks: Lock[];
  now: number;
  version: number;
  /** How long READY lasts before it counts as ACTIVE (set by the service from its config, not stored). */
  readyTimeoutMs?: number;
}

/** A lock to create; the store assigns `token`, `createdAt`, `heartbeatAt` and `expiresAt` from its clock. */
export interface NewLock extends LockTarget {
  id: string;
  kind: LockKind;
  holder: string;
  reason: string;
  ttlMs: number;
  meta: Record<string, string>;
}

/** The writes a decision makes to one branch, applied atomically or not at all. */
export interface BranchChange {
  state?: { state: BranchState; reason: string; actor: string };
  addLocks?: NewLock[];
  removeLockIds?: string[];
  /** Heartbeats: new expiry = store now + ttlMs. */
  renewLocks?: { id: string; ttlMs: number }[];
}

/** What a pure decision over a snapshot returns: the change to apply (if any) and a result for the caller. */
export interface BranchDecision<T> {
  change?: BranchChange;
  result: T;
}

/** The outcome of `updateBranch`: the decision's result, the locks it created (with tokens) and the state after. */
export interface BranchUpdate<T> {
  result: T;
  added: Lock[];
  after: BranchSnapshot;
  /** The audit records the store appended (SQL) or queued (Redis) in the same atomic step as the change. */
  audit?: AuditRecord[];
}

/** The audit records of a change, built from its outcome: appended with it where the store can. */
export type AuditOf<T> = (update: BranchUpdate<T>) => AuditInput[];

/** Filters for listing shadow builds. */
export interface ShadowFilter {
  repo?: string;
  branch?: string;
  indexType?: string;
  states?: readonly ShadowState[];
}

/** The pointer swap of a switch or rollback, with the shadow state moves that go with it (one atomic step). */
export interface PointerSwap extends BranchRef {
  indexType: string;
  /** The active id the caller saw; the swap is refused (returns null) if it changed. */
  expectActive: string | null;
  next: string | null;
  /** Shadow builds whose state moves in the same atomic step (`from` checked). */
  moves: { id: string; from: ShadowState; to: ShadowState }[];
  at: number;
  /**
   * The swap's own audit records (`shadow.switched`, `shadow.rolled-back`, …), written in the same atomic step and
   * only if the swap is made: SQL in the swap's transaction (a refused record leaves the pointer unswapped), Redis
   * in its audit outbox from the swap's script.
   */
  audit?: readonly AuditRecord[];
}

/**
 * Port for branch states, locks, shadow builds, active-index pointers and delivery dedupe.
 * Implementations: `SqlStateStore` (PGlite, PostgreSQL) and `RedisStateStore`. Every method fails with
 * `StoreUnavailableError` when the store cannot be reached. Domain rules are NOT implemented here: the store
 * runs `decide` (pure) over a consistent snapshot and applies its change atomically.
 */
export interface StateStore {
  /** Reads one branch (one round trip on Redis). A branch never stored is ACTIVE with no locks. */
  readBranch(ref: BranchRef): Promise<BranchSnapshot>;
  /** Runs `decide` over a snapshot and applies its change atomically (re-running `decide` if the branch moved). */
  updateBranch<T>(
    ref: BranchRef,
    decide: (snapshot: BranchSnapshot) => BranchDecision<T>,
    audit?: AuditOf<T>,
  ): Promise<BranchUpdate<T>>;
  /**
   * True when `updateBranch` records `audit` in the same atomic step as the change: SQL appends it to the audit
   * log in the change's transaction (state and audit in one database); Redis queues it in its `outbox`, drained
   * into the audit log by an `AuditReconciler`.
   */
  readonly auditsWithChanges?: boolean;
  /** Where this store queues audit records for the audit log (Redis); none where it writes them itself (SQL). */
  readonly outbox?: AuditOutbox;
  /** Branches with a stored state or live locks, optionally of one repository. */
  listBranches(repo?: string): Promise<BranchSnapshot[]>;
  /**
   * Stores a new build; throws `IllegalShadowStateError` if one is in flight for its branch and index type.
   * `audit`: records written in the same atomic step (SQL: the audit log, Redis: the outbox), only if stored.
   */
  createShadow(build: ShadowBuild, audit?: readonly AuditRecord[]): Promise<void>;
  getShadow(id: string): Promise<ShadowBuild | null>;
  /**
   * Updates a build if its state is one of `expect`; returns the new build, or null if the state did not match.
   * `audit`: records written in the same atomic step as the update, only if it was made.
   */
  updateShadow(
    id: string,
    expect: readonly ShadowState[],
    patch: Partial<ShadowBuild>,
    audit?: readonly AuditRecord[],
  ): Promise<ShadowBuild | null>;
  listShadows(filter: ShadowFilter): Promise<ShadowBuild[]>;
  getPointer(ref: BranchRef, indexType: string): Promise<IndexPointer>;
  /** Swaps the pointer (previous := old active) and moves shadows atomically; null if `expectActive` or a `from` did not match. */
  swapPointer(swap: PointerSwap): Promise<IndexPointer | null>;
  /** True the first time `key` is seen within `ttlMs` (idempotent consumers: event id + commit). */
  dedupe(key: string, ttlMs: number): Promise<boolean>;
  /** Forgets a dedupe key, so the next `dedupe` of it is first again (work that failed may run again). */
  forget(key: string): Promise<void>;
  /**
   * Adds `member` to the set `key`; the whole set is kept `ttlMs` from its latest addition, then forgotten.
   * True when the member was not in the set.
   */
  addMember(key: string, member: string, ttlMs: number): Promise<boolean>;
  /** The members of the set `key`, in the order they were first added (none once it is forgotten). */
  members(key: string): Promise<string[]>;
  close(): Promise<void>;
}
