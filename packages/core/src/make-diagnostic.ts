import type { Diagnostic, DiagnosticCode } from './diagnostic.js';
import { DIAGNOSTIC_SEVERITY } from './diagnostic.js';
import type { Range } from './position.js';

/** The optional parts of a diagnostic: what to do, where else to look, data for quick fixes. */
export type DiagnosticExtras = Pick<Diagnostic, 'hint' | 'related' | 'data'>;

/** A diagnostic with the severity its code always has, so no check decides severities on its own. */
export function makeDiagnostic(
  code: DiagnosticCode,
  file: string,
  range: Range,
  message: string,
  extras: DiagnosticExtras = {},
): Diagnostic {
  const diagnostic: Diagnostic = { code, severity: DIAGNOSTIC_SEVERITY[code] ?? 'error', message, file, range };
  if (extras.hint !== undefined) diagnostic.hint = extras.hint;
  if (extras.related !== undefined && extras.related.length > 0) diagnostic.related = extras.related;
  if (extras.data !== undefined) diagnostic.data = extras.data;
  return diagnostic;
}

/** Orders diagnostics by position, then code, so every consumer sees the same stable list. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort(
    (a, b) =>
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      a.range.end.line - b.range.end.line ||
      a.range.end.character - b.range.end.character ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}
