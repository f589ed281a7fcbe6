/**
 * `@aegis/freeze`: branch states, scoped locks (TTL, heartbeat, fencing tokens), shadow index builds with an
 * atomic switch, the audit log and delivery dedupe — with no knowledge of GitHub or schema files.
 *
 * Start with `openStores(config)` and `new FreezeService(stores.state, stores.audit)`; see docs/freeze.md.
 */
export type * from './types.js';
export type * from './outcomes.js';
export type {
  StateStore,
  BranchSnapshot,
  BranchChange,
  BranchDecision,
  BranchUpdate,
  NewLock,
  PointerSwap,
  ShadowFilter,
} from './state-store.js';
export type { AuditLog } from './audit-log.js';
export type { AuditOutbox, QueuedAudit } from './audit-outbox.js';
export { AuditReconciler, type DrainReport } from './audit-reconciler.js';
export { issueKey } from './audit-record.js';
export { CHAIN_START, ChainCheck, canonicalJson, chainHash } from './audit-chain.js';
export type { ChainReport, ChainedRecord } from './audit-chain.js';
export * from './errors.js';
export { FreezeService, type Dashboard } from './freeze-service.js';
export type { BranchChanges, FreezeConfig } from './branch-changes.js';
export { toStatus } from './to-status.js';
export { ShadowService, type ShadowOutcome, type ShadowStatus } from './shadow-service.js';
export {
  checkTransition,
  allowedTransitions,
  BRANCH_STATES,
  type TransitionTrigger,
  type TransitionVerdict,
} from './domain/branch-transitions.js';
export {
  targetsConflict,
  lockCovers,
  conflictingLocks,
  locksBlockingWrite,
  parseResource,
  retryAfterSeconds,
  normaliseTarget,
  affectedResources,
  lockChangeCovers,
} from './domain/lock-conflicts.js';
export { effectiveState } from './domain/branch-decisions.js';
export { canShadowMove, isShadowInFlight, SHADOW_IN_FLIGHT } from './domain/shadow-lifecycle.js';
export { runSwitchChecks, estimateEtaSeconds, checksToRun, ALL_CHECKS } from './domain/switch-checks.js';
export { verifySwitch, type IndexProbe, type SwitchVerification } from './domain/switch-verification.js';
export { interruptedSwitch, type SwitchRecovery } from './domain/shadow-recovery.js';
export { matchRun, type IndexingRun, type RunMatch } from './domain/indexing-decisions.js';
export { auditId, parseAuditId, compactTimestamp } from './domain/audit-id.js';
export {
  DEFAULT_AUDIT_DRAIN_MS,
  openStores,
  storeConfigFromEnv,
  type StoreConfig,
  type Stores,
} from './open-stores.js';
export type { SqlClient, SqlQueryable } from './sql/sql-client.js';
export { PgliteClient } from './sql/pglite-client.js';
export { PgClient, type PgClientOptions } from './sql/pg-client.js';
export { migrate, MIGRATIONS } from './sql/migrations.js';
export { SqlStateStore } from './sql/sql-state-store.js';
export { SqlAuditLog } from './sql/sql-audit-log.js';
export { SqlCache, type CacheStore } from './sql/sql-cache.js';
export { RedisStateStore } from './redis/redis-state-store.js';
export { RedisAuditOutbox } from './redis/redis-audit-outbox.js';
export { connectRedis, type RedisConnectionOptions } from './redis/redis-connection.js';
export * as luaScripts from './redis/lua-scripts.js';
