export type { FileSource } from './file-source.js';
export { memoryFileSource } from './file-source.js';
export type { Position, Range } from './position.js';
export type { Diagnostic, DiagnosticCode, RelatedLocation, Severity } from './diagnostic.js';
export { DIAGNOSTIC_CODES } from './diagnostic.js';
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
export * from './diff/index.js';
export * from './sql/index.js';
export * from './rbac/index.js';
