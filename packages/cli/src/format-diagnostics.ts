import type { Diagnostic } from '@aegis/core';

export const DIAGNOSTIC_FORMATS = ['text', 'json', 'github'] as const;
export type DiagnosticFormat = (typeof DIAGNOSTIC_FORMATS)[number];

export interface DiagnosticSummary {
  files: number;
  schemas: number;
  errors: number;
  warnings: number;
}

/** Counts errors and warnings over every file's list. */
export function summarize(results: Map<string, Diagnostic[]>, schemas: number): DiagnosticSummary {
  let errors = 0;
  let warnings = 0;
  for (const list of results.values()) {
    for (const d of list) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
    }
  }
  return { files: results.size, schemas, errors, warnings };
}

/** Every diagnostic in file order, then position order. */
export function flatten(results: Map<string, Diagnostic[]>): Diagnostic[] {
  return [...results.keys()].sort().flatMap((file) => results.get(file) ?? []);
}

/** Renders diagnostics the way `aegis validate --format …` prints them. */
export function formatDiagnostics(
  format: DiagnosticFormat,
  diagnostics: Diagnostic[],
  summary: DiagnosticSummary,
  options: { color: boolean },
): string {
  switch (format) {
    case 'json':
      return JSON.stringify({ diagnostics, summary }, null, 2) + '\n';
    case 'github':
      return diagnostics.map(githubAnnotation).join('');
    case 'text':
      return formatText(diagnostics, summary, options.color);
  }
}

const paint = (on: boolean, code: number) => (text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

function formatText(diagnostics: Diagnostic[], summary: DiagnosticSummary, color: boolean): string {
  const red = paint(color, 31);
  const yellow = paint(color, 33);
  const dim = paint(color, 2);
  const bold = paint(color, 1);
  const lines: string[] = [];
  for (const d of diagnostics) {
    const where = `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1}`;
    const severity = d.severity === 'error' ? red('error') : d.severity === 'warning' ? yellow('warning') : 'info';
    lines.push(`${bold(where)} ${severity} ${dim(d.code)} ${d.message}`);
    if (d.hint) lines.push(`  ${dim('hint:')} ${d.hint}`);
  }
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const verdict = summary.errors > 0 ? red('✗') : '✓';
  lines.push(
    `${verdict} ${plural(summary.schemas, 'schema')} in ${plural(summary.files, 'file')}: ` +
      `${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}`,
  );
  return lines.join('\n') + '\n';
}

/** A GitHub Actions workflow command; positions are 1-based there. */
function githubAnnotation(d: Diagnostic): string {
  const level = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
  const props = [
    `file=${escapeProperty(d.file)}`,
    `line=${d.range.start.line + 1}`,
    `col=${d.range.start.character + 1}`,
    `endLine=${d.range.end.line + 1}`,
    `endColumn=${d.range.end.character + 1}`,
    `title=${escapeProperty(`aegis ${d.code}`)}`,
  ].join(',');
  const message = d.hint ? `${d.message}\n${d.hint}` : d.message;
  return `::${level} ${props}::${escapeData(message)}\n`;
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
