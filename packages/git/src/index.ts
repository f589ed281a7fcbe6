export { gitRefFileSource, DEFAULT_SCHEMA_DIR } from './git-ref-file-source.js';
export type { GitRefFileSource, GitRefFileSourceOptions } from './git-ref-file-source.js';
export { registryVersionHash } from './registry-version-hash.js';
export { changedSchemaFiles } from './changed-schema-files.js';
export type { ChangedSchemaFilesOptions } from './changed-schema-files.js';
export type { ChangedFile } from './parse-raw-diff.js';
export { registryDelta } from './registry-delta.js';
export type { RegistryDelta } from './registry-delta.js';
export { readRegistryTree } from './read-registry-tree.js';
export type { RegistryEntry, RegistryTree } from './registry-tree.js';
export { resolveCommit, isShallow } from './resolve-commit.js';
export { CatFileBatch, ObjectMissing } from './cat-file-batch.js';
export type { GitObject } from './batch-output-parser.js';
export { BatchOutputParser } from './batch-output-parser.js';
export {
  GitRegistryError,
  NotARepositoryError,
  BadRefError,
  NoSchemasError,
  MissingObjectError,
  UnknownVersionError,
} from './errors.js';
export type { GitRegistryErrorKind } from './errors.js';
export { loadRegistryAtRef, repositoryRoot } from './load-registry-at-ref.js';
export type { RegistryAtRef } from './load-registry-at-ref.js';
export { mergeBase } from './merge-base.js';
export { isObjectId, isBranchName, isFullRefName, MAX_REF_NAME_BYTES } from './git-names.js';
