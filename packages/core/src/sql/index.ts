export { createPlan } from './create-plan.js';
export { changePlan } from './change-plan.js';
export { renderSqlScript, timeoutSettings, MIGRATION_TIMEOUTS } from './render-sql-script.js';
export { creationOrder } from './creation-order.js';
export { postgresType, isWidening } from './postgres-type.js';
export type { PostgresType } from './postgres-type.js';
export type { MigrationStep } from './migration-step.js';
