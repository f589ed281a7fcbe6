import type { Range } from './position.js';

/** Every diagnostic code the product reports. Stable: checks, editors and scripts match on them. */
export const DIAGNOSTIC_CODES = [
  'yaml-syntax',
  'yaml-limit',
  'invalid-field',
  'name-mismatch',
  'duplicate-schema',
  'duplicate-column',
  'duplicate-index',
  'unknown-schema',
  'unknown-column',
  'fk-column-missing',
  'fk-type-mismatch',
  'reference-not-unique',
  'set-null-on-not-null',
  'index-unknown-column',
  'cycle',
  'missing-primary-key',
  'breaking-change',
  'version-not-bumped',
  'invalid-rename',
  'rbac-invalid-field',
  'rbac-unknown-role',
  'rbac-unknown-permission',
  'rbac-invalid-member',
  'rbac-owner-unwritable',
  'rbac-meaningless-permission',
] as const;

export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

export type Severity = 'error' | 'warning' | 'information';

/** Another place that explains a diagnostic: the other duplicate, the next schema of a cycle. */
export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

/**
 * One finding on one file. `range` points at the offending YAML node (0-based, LSP-style); every edge
 * converts it once: the CLI to `file:line:col`, the bot to check annotations, the language server as is.
 */
export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  /** What is wrong, naming the things involved. */
  message: string;
  /** What to do about it, in one sentence. */
  hint?: string;
  file: string;
  range: Range;
  related?: RelatedLocation[];
  /** Machine-readable detail for quick fixes: the suggested name, the missing schema. */
  data?: { suggestion?: string; missingSchema?: string };
}

/**
 * Severities that differ from the default, `error` (SPEC §3). Every code not listed here is an error, so a
 * code added later needs no entry unless it is a warning.
 */
export const DIAGNOSTIC_SEVERITY: Readonly<Partial<Record<DiagnosticCode, Severity>>> = {
  'missing-primary-key': 'warning',
};
