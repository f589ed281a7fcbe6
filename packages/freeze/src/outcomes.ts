import type { IndexProbe, SwitchVerification } from './domain/switch-verification.js';
import type {
  AuditRecord,
  BranchRef,
  BranchState,
  BranchStatus,
  IndexPointer,
  Lock,
  LockTarget,
  ShadowBuild,
  SwitchCheck,
} from './types.js';

/**
 * What every change returns, so callers can audit and notify: the branch, the resources whose write
 * permission may have changed (`*` = whole branch, `schema:*` = a type, `schema:users` = one resource), the
 * audit records appended, and the branch status after the change.
 */
export interface ChangeOutcome {
  ref: BranchRef;
  affected: string[];
  audit: AuditRecord[];
  /**
   * True when the change is made but its audit records are still queued (state in Redis, the audit log
   * unreachable): they are written when the log answers again. Absent when the records are in the log.
   */
  auditPending?: boolean;
  status: BranchStatus;
}

/** `acquireLock`. */
export interface LockOutcome extends ChangeOutcome {
  lock: Lock;
}

/** `releaseLock`. */
export interface ReleaseOutcome extends ChangeOutcome {
  released: Lock;
}

/** `forceUnlock`: every lock released, state back to ACTIVE. */
export interface ForceUnlockOutcome extends ChangeOutcome {
  released: Lock[];
  from: BranchState;
}

/** `transition`. */
export interface TransitionOutcome extends ChangeOutcome {
  from: BranchState;
  to: BranchState;
  released: Lock[];
}

/** `lockForIndexing` / `completeIndexing` / `failIndexing`. */
export interface IndexingOutcome extends ChangeOutcome {
  from: BranchState;
  to: BranchState;
  /** The INDEXING lock taken (start) or released (complete/fail). */
  lock: Lock | null;
  /** Milliseconds since indexing started (complete/fail), as the indexing-duration metric wants. */
  durationMs: number | null;
  /** Other locks released with it (fail releases every lock on the branch). */
  released: Lock[];
  /** A start repeated by the run's own holder: its lock was renewed, nothing else changed. */
  repeated: boolean;
}

/** Options of `completeIndexing` / `failIndexing`: which run ends, and who ends it. */
export interface IndexingEndOptions {
  indexingId?: string;
  /** The INDEXING lock's fencing token. */
  token?: number;
  /**
   * The caller's identity. When given, the run must be named (`indexingId` or `token`) and the caller must hold
   * it — or be an `admin`, which is audited as an override. Without it, the single live run ends.
   */
  caller?: string;
  admin?: boolean;
  reason?: string;
  /**
   * The run's duration as the indexer measured it (seed 001's `started_at`/`completed_at`); recorded and
   * returned instead of the lock's age, which misses the time before `indexing.started` arrived.
   */
  durationMs?: number;
}

/** `archiveBranch`. */
export interface ArchiveOutcome extends ChangeOutcome {
  /** False when the branch was already ARCHIVED (nothing changed). */
  archived: boolean;
  released: Lock[];
  /** Shadow builds in flight that were cancelled. */
  cancelled: string[];
}

/** `checkWrite`: allowed, or the blocking locks with a retry-after (seed 000's 423 answer). */
export type WriteCheck =
  | { allowed: true; state: BranchState }
  | { allowed: false; state: BranchState; blocked: Lock[]; retryAfterSeconds: number; reason: string };

/** Input of `acquireLock`. `ttlMs` defaults to the service's `defaultLockTtlMs`. */
export interface AcquireLockInput extends BranchRef, LockTarget {
  holder: string;
  reason: string;
  ttlMs?: number;
  kind?: 'MANUAL' | 'MAINTENANCE';
  meta?: Record<string, string>;
}

/** Input of `lockForIndexing`. */
export interface IndexingStart extends BranchRef {
  holder: string;
  indexingId?: string;
  reason?: string;
  ttlMs?: number;
  /** The commit being indexed, kept in the lock's meta. */
  commit?: string;
}

/** One pre-switch check result. */
export interface CheckResult {
  check: SwitchCheck;
  passed: boolean;
  detail: string;
}

/** `switch` / `rollback`. */
export interface SwitchOutcome extends ChangeOutcome {
  switched: boolean;
  shadow: ShadowBuild;
  pointer: IndexPointer;
  checks: CheckResult[];
  forced: boolean;
  /** Time the RESOURCE_TYPE switch lock was held (the developer-visible window). */
  switchDurationMs: number;
  /** Why the switch was refused (a failed check, a concurrent switch, a failed verification); empty when switched. */
  errors: string[];
  /** Every pre-switch check passed (a forced switch may go in with this false). */
  validationPassed: boolean;
  /** Post-switch verification (seed 002); null when the pointer was not swapped. */
  verification: SwitchVerification | null;
  /** The verification failed and the pointer went back to the previous index. */
  rolledBack: boolean;
}

/** `shadow start` input. */
export interface ShadowStart extends BranchRef {
  indexType: string;
  resourceTypes: string[];
  /** The branch's current schema tree hash the build is made from. */
  treeHash: string;
}

/** `shadow complete` input. */
export interface ShadowComplete {
  recordCount: number;
  sizeBytes: number;
}

/** `switch` input. */
export interface SwitchRequest {
  /**
   * The branch's schema tree hash now (from @aegis/git); INTEGRITY_CHECK compares it with the build's. Pass a
   * function to have it read again while the switch lock is held, so a change merged between the checks and
   * the swap refuses the switch instead of switching a stale index in (its read time joins the lock window).
   */
  currentTreeHash: string | (() => Promise<string>);
  /** Checks to run (default: all three); INTEGRITY_CHECK runs whatever is named, unless `force`. */
  checks?: SwitchCheck[];
  /** Switch even if checks fail (admin): they still run, and the switch is audited as forced. */
  force?: boolean;
  /** Allowed relative size change against the current index for SIZE_COMPARISON (default the service's). */
  sizeTolerance?: number;
  /**
   * The indexing service's check that the switched-in index answers, run after the swap under the switch
   * lock; an inaccessible index rolls the pointer back.
   */
  probe?: (shadow: ShadowBuild) => Promise<IndexProbe>;
}
