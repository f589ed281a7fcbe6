/**
 * `@aegis/migrate`: runs the registry's PostgreSQL plans against a database — apply (history table, one
 * transaction with rollback, after-commit steps recorded and resumable, drift refused), verify (a change
 * proven on a throwaway database), status — plus the catalog reader they share. See docs/migrations-apply.md.
 */
export { applyMigration, defaultActor } from './apply-migration.js';
export type { ApplyOptions, ApplyResult, VersionRef } from './apply-migration.js';
export { baselineMigration } from './baseline-migration.js';
export { createPlanCatalog } from './build-in-schema.js';
export { verifyMigration } from './verify-migration.js';
export type { VerifyOptions, VerifyResult } from './verify-migration.js';
export { migrationStatus } from './migration-status.js';
export type { MigrationStatus, StatusOptions } from './migration-status.js';
export { recordedVersion } from './recorded-version.js';
export { readCatalog, tableMatcher } from './read-catalog.js';
export type { ReadCatalogOptions } from './read-catalog.js';
export { compareCatalogs, formatDifference, withoutTables, EMPTY_CATALOG } from './catalog.js';
export type { Catalog, CatalogDifference } from './catalog.js';
export { splitPhases } from './split-phases.js';
export type { PlannedStep, ProgressEvent, ProgressListener, StepPhase } from './planned-step.js';
export { loadRegistryVersion, registryVersionFromFiles, assertValid } from './registry-version.js';
export type { RegistryVersion } from './registry-version.js';
export { connectDatabase, checkDatabaseUrl, urlForDatabase } from './connect-database.js';
export type { SqlClient, ConnectOptions } from './connect-database.js';
export { createThrowawayDatabase } from './throwaway-database.js';
export type { ThrowawayDatabase } from './throwaway-database.js';
export { HISTORY_TABLES, latestMigration } from './history-table.js';
export type { HistoryEntry } from './history-table.js';
export { MigrateError } from './errors.js';
export type { MigrateErrorKind } from './errors.js';
export { StepFailedError, statementHead } from './step-failed-error.js';
export { DriftError } from './drift-error.js';
export { redactUrl } from './redact-url.js';
export {
  formatApplyResult,
  formatPlan,
  formatPlanWarnings,
  formatStatus,
  formatVerifyResult,
  formatProgress,
  formatVersion,
} from './format-report.js';
