export type { FileSource } from './file-source.js';
export { memoryFileSource } from './file-source.js';
export type { Position, Range } from './position.js';
export type { Diagnostic, DiagnosticCode, RelatedLocation, Severity } from './diagnostic.js';
export { DIAGNOSTIC_CODES, DIAGNOSTIC_SEVERITY } from './diagnostic.js';
export type {
  Column,
  FkAction,
  Index,
  LoadedFile,
  Reference,
  Registry,
  RegistryMetadata,
  Schema,
  Spanned,
  VersionHistoryEntry,
} from './model.js';
export { FK_ACTIONS } from './model.js';
export type { LoadLimits } from './load/limits.js';
export type { YamlParser } from './load/yaml-tree.js';
export { DEFAULT_LOAD_LIMITS } from './load/limits.js';
export { loadFile } from './load/load-file.js';
export { internRange } from './load/intern-range.js';
export type { LoadRegistryOptions } from './load/load-registry.js';
export { loadRegistry } from './load/load-registry.js';
export { buildRegistry } from './load/build-registry.js';
export { isMetadataFile, isRegistryFile, schemaBaseName } from './load/file-names.js';
export { validateRegistry } from './validate/validate-registry.js';
export { crossFileDiagnostics } from './validate/cross-file-diagnostics.js';
export { checkChange } from './check-change.js';
export type { ChangeCheck, ChangeInput } from './check-change.js';
export { makeDiagnostic, sortDiagnostics } from './make-diagnostic.js';
export type { DiagnosticExtras } from './make-diagnostic.js';
export type { DependencyGraph } from './graph/graph.js';
export { buildGraph } from './graph/graph.js';
export { findCycles } from './graph/find-cycles.js';
export { migrationOrder } from './graph/migration-order.js';
export { orderPlan, type OrderPlan, type DeferredForeignKey } from './graph/order-plan.js';
export type { Dependents } from './graph/dependents-of.js';
export { dependentsOf } from './graph/dependents-of.js';
export type { AffectedSchemas, NearestDependents } from './graph/dependents-index.js';
export { DependentsIndex } from './graph/dependents-index.js';
export type { ErdOptions } from './render/render-erd.js';
export { renderErd } from './render/render-erd.js';
export { renderDocs } from './render/render-docs.js';
export type { NormalizedSqlType } from './sql-type.js';
export { normalizeSqlType, referencingType } from './sql-type.js';
export { didYouMean } from './did-you-mean.js';
export { registryFileJsonSchema, schemaFileJsonSchema } from './json-schema/schema-file-json-schema.js';
export * from './diff/index.js';
export * from './sql/index.js';
export * from './rbac/index.js';
