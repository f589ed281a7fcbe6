/**
 * Public data types of `@aegis/freeze`. Times are milliseconds since the epoch (the store's clock),
 * except audit `at`, an ISO-8601 string. Resources are `<type>:<id>` strings such as `schema:users`.
 */

/** Branch states (seed 000): reads always allowed; writes governed by locks. */
export type BranchState = 'ACTIVE' | 'LOCKED_FOR_WRITE' | 'READY' | 'ARCHIVED' | 'ERROR';

/** Lock scopes: the whole branch, every resource of one type, or one resource. */
export type LockScope = 'BRANCH' | 'RESOURCE_TYPE' | 'RESOURCE';

/** Why a lock exists; `INDEXING` locks drive the LOCKED_FOR_WRITE state, `SWITCH` guards a shadow switch. */
export type LockKind = 'MANUAL' | 'INDEXING' | 'SWITCH' | 'MAINTENANCE';

/** A branch of a repository (`repo` as `owner/name`). */
export interface BranchRef {
  repo: string;
  branch: string;
}

/** What a caller wants to lock. `resourceType` for RESOURCE_TYPE; `resourceType` + `resourceId` for RESOURCE. */
export interface LockTarget {
  scope: LockScope;
  resourceType?: string;
  resourceId?: string;
}

/** A live lock. `token` is the fencing token: strictly increasing per branch, never reused. */
export interface Lock extends BranchRef, LockTarget {
  id: string;
  kind: LockKind;
  holder: string;
  reason: string;
  token: number;
  createdAt: number;
  heartbeatAt: number;
  expiresAt: number;
  ttlMs: number;
  /** Free-form links for callers (e.g. `{ pr: '12' }`, `{ indexingId: 'idx-1' }`). */
  meta: Record<string, string>;
}

/** What proves ownership of a lock: pass the `Lock` you got back (or these four fields). */
export interface LockHandle extends BranchRef {
  id: string;
  token: number;
}

/** The stored state of a branch plus its live locks. */
export interface BranchStatus extends BranchRef {
  state: BranchState;
  /** When the state last changed (0 if never stored: a branch is ACTIVE by default). */
  since: number;
  reason: string;
  actor: string;
  locks: Lock[];
  /** The store's clock when this was read. */
  now: number;
}

/** Who acts, and which issue/delivery the change belongs to (goes into the audit record). */
export interface ActorContext {
  actor: string;
  issue?: string;
  delivery?: string;
  /** The client of an API call (seed 004 `AuditLog.ip_address` / `user_agent`). */
  ipAddress?: string;
  userAgent?: string;
}

/** Shadow index lifecycle (seed 002). */
export type ShadowState =
  'PREPARING' | 'BUILDING' | 'BUILT' | 'SWITCHING' | 'ACTIVE' | 'CLEANUP' | 'FAILED' | 'CANCELLED';

/** Pre-switch checks (seed 002). */
export type SwitchCheck = 'RECORD_COUNT_VALIDATION' | 'SIZE_COMPARISON' | 'INTEGRITY_CHECK';

/** A shadow index build. */
export interface ShadowBuild extends BranchRef {
  id: string;
  indexType: string;
  state: ShadowState;
  /** Resource types the index covers; the switch locks these (RESOURCE_TYPE scope). */
  resourceTypes: string[];
  /** The branch's schema tree hash the build was started from (INTEGRITY_CHECK). */
  treeHash: string;
  progressPercent: number;
  /** Estimated seconds to completion as last reported. */
  etaSeconds: number | null;
  recordCount: number | null;
  sizeBytes: number | null;
  createdAt: number;
  updatedAt: number;
  completedAt: number | null;
  error: string | null;
}

/** The active-index pointer of a branch and index type; `previous` is kept for rollback. */
export interface IndexPointer extends BranchRef {
  indexType: string;
  active: string | null;
  previous: string | null;
  switchedAt: number;
}

/** One audit record (SPEC §4). */
export interface AuditRecord {
  id: string;
  at: string;
  repo: string;
  branch: string;
  actor: string;
  issue: string | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  old: unknown;
  new: unknown;
  reason: string | null;
  /** The GitHub delivery, API request id or CloudEvent id the change came with. */
  delivery: string | null;
  /** The API caller's address and `User-Agent` (seed 004); null for webhooks, events and older records. */
  ipAddress: string | null;
  userAgent: string | null;
}

/** An audit record before it gets its id and time. */
export type AuditInput = Omit<
  AuditRecord,
  | 'id'
  | 'at'
  | 'issue'
  | 'resourceType'
  | 'resourceId'
  | 'old'
  | 'new'
  | 'reason'
  | 'delivery'
  | 'ipAddress'
  | 'userAgent'
> &
  Partial<
    Pick<
      AuditRecord,
      'issue' | 'resourceType' | 'resourceId' | 'old' | 'new' | 'reason' | 'delivery' | 'ipAddress' | 'userAgent'
    >
  > & {
    at?: Date;
  };

/** Audit query filters; results newest first, paged by `cursor`. */
export interface AuditQuery {
  repo?: string;
  branch?: string;
  issue?: string;
  action?: string;
  actor?: string;
  /** Inclusive lower bound. */
  since?: Date;
  /** Exclusive upper bound. */
  until?: Date;
  /** Page size (default 50, max 500). */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/** One page of audit records. */
export interface AuditPage {
  records: AuditRecord[];
  nextCursor: string | null;
}
