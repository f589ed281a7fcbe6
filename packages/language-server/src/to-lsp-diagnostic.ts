import type { Diagnostic } from '@aegis/core';
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { FileUris } from './file-uri.js';

const SEVERITY = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
} as const;

/** The diagnostics' `source`, so quick fixes recognise their own. */
export const DIAGNOSTIC_SOURCE = 'aegis';

/**
 * Core's diagnostic as LSP's: the range is already 0-based UTF-16, so it passes through untouched; the hint
 * joins the message; `data` (suggestion, missing schema) rides along for quick fixes.
 */
export function toLspDiagnostic(d: Diagnostic, uris: FileUris): LspDiagnostic {
  const result: LspDiagnostic = {
    range: d.range,
    severity: SEVERITY[d.severity],
    code: d.code,
    source: DIAGNOSTIC_SOURCE,
    message: d.hint ? `${d.message}\n${d.hint}` : d.message,
  };
  if (d.related && d.related.length > 0) {
    result.relatedInformation = d.related.map((r) => ({
      location: { uri: uris.toUri(r.file), range: r.range },
      message: r.message,
    }));
  }
  if (d.data) result.data = d.data;
  return result;
}
