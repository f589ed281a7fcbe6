import type { Diagnostic } from '@aegis/core';
import type { CheckAnnotation } from './check-result.js';

const LEVEL = { error: 'failure', warning: 'warning', information: 'notice' } as const;

/**
 * Diagnostics (0-based LSP ranges) as check-run annotations (1-based lines). The one place the bot converts
 * positions; columns only when the range stays on one line, as GitHub requires.
 */
export function toAnnotations(diagnostics: readonly Diagnostic[]): CheckAnnotation[] {
  return diagnostics.map((d) => {
    const start = d.range.start.line + 1;
    const end = Math.max(start, d.range.end.line + 1);
    const annotation: CheckAnnotation = {
      path: d.file,
      start_line: start,
      end_line: end,
      annotation_level: LEVEL[d.severity],
      title: d.code,
      message: d.hint ? `${d.message}\n${d.hint}` : d.message,
    };
    if (start === end && d.range.end.character > d.range.start.character) {
      annotation.start_column = d.range.start.character + 1;
      annotation.end_column = d.range.end.character + 1;
    }
    return annotation;
  });
}
