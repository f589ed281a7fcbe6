import type { BranchState, Lock, ShadowBuild, ShadowState } from './types.js';

/** Base class of every error this package throws on purpose. */
export class FreezeError extends Error {
  /** Stable machine-readable code. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The store could not be reached or did not answer in time; callers should fail closed. */
export class StoreUnavailableError extends FreezeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('store-unavailable', message, options);
  }
}

/** A lock request conflicts with live locks (seed 000: HTTP 423 with retry-after). */
export class LockConflictError extends FreezeError {
  constructor(
    readonly conflicts: Lock[],
    readonly retryAfterSeconds: number,
  ) {
    const first = conflicts[0];
    super(
      'lock-conflict',
      first
        ? `locked by ${first.holder} (${first.scope}${first.resourceType ? ` ${first.resourceType}` : ''}${first.resourceId ? `:${first.resourceId}` : ''}): ${first.reason}`
        : 'lock conflict',
    );
  }
}

/** A branch state change the state machine does not allow. */
export class IllegalTransitionError extends FreezeError {
  constructor(
    readonly from: BranchState,
    readonly to: BranchState,
    readonly reason: string,
  ) {
    super('illegal-transition', `cannot go from ${from} to ${to}: ${reason}`);
  }
}

/** Release/heartbeat with a lock id/token that is not (or no longer) the live holder's. */
export class NotLockHolderError extends FreezeError {
  constructor(message: string) {
    super('not-lock-holder', message);
  }
}

/** A shadow build id that does not exist. */
export class ShadowNotFoundError extends FreezeError {
  constructor(readonly shadowId: string) {
    super('shadow-not-found', `no shadow build ${shadowId}`);
  }
}

/** A shadow operation not allowed in the build's current state (or a second build for the same branch/type). */
export class IllegalShadowStateError extends FreezeError {
  constructor(
    readonly shadowId: string,
    readonly state: ShadowState | null,
    message: string,
  ) {
    super('illegal-shadow-state', message);
  }

  /** A second build started for a branch and index type while one is in flight (every store refuses it so). */
  static inFlight(build: Pick<ShadowBuild, 'id' | 'indexType' | 'branch'>): IllegalShadowStateError {
    return new IllegalShadowStateError(
      build.id,
      null,
      `a ${build.indexType} shadow build is already in flight on ${build.branch}`,
    );
  }
}

/** Invalid input (empty holder, bad scope fields, non-positive TTL...). */
export class InvalidRequestError extends FreezeError {
  constructor(message: string) {
    super('invalid-request', message);
  }
}

/** An embedded (PGlite) data directory another live process has open: two would corrupt it. */
export class DataDirInUseError extends FreezeError {
  constructor(
    readonly dataDir: string,
    readonly owner: { pid: number; command: string; startedAt: string },
  ) {
    super(
      'data-dir-in-use',
      `the data directory ${dataDir} is in use by process ${owner.pid} (${owner.command}, since ${owner.startedAt}); ` +
        'PGlite allows one process per directory — stop it, read through its HTTP API, or use PostgreSQL (DATABASE_URL)',
    );
  }
}
