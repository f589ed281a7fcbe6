export { diffRegistries } from './diff-registries.js';
export { diffDiagnostics } from './diff-diagnostics.js';
export type { ChangeKind, Pair, RegistryDiff, SchemaChange, SchemaDiff } from './registry-diff.js';
export { parseSemver, compareSemver, isMajorBump, nextVersion } from './semver.js';
export type { SemVer } from './semver.js';
export { renderDiffErd } from './render-diff-erd.js';
export { renderDiffText, renderDiffMarkdown, diffHeadline } from './render-diff.js';
export type { DiffSides } from './render-diff.js';
