import { renderDiffMarkdown, type Diagnostic } from '@aegis/core';
import type { CheckedChange } from '../check-git-change.js';
import type { ActionSettings } from './action-settings.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function diagnosticsTable(diagnostics: Diagnostic[]): string[] {
  if (diagnostics.length === 0) return [];
  const rows = diagnostics.map(
    (d) =>
      `| \`${cell(d.file)}\`:${d.range.start.line + 1} | ${d.severity} | \`${d.code}\` | ${cell(d.message)}${d.hint ? ` — ${cell(d.hint)}` : ''} |`,
  );
  return ['### Findings', '', '| where | severity | code | message |', '| --- | --- | --- | --- |', ...rows, ''];
}

/** The job summary: a verdict line, the findings, the diff with its Mermaid ERD, the migration proof. */
export function actionSummary(
  settings: ActionSettings,
  checked: CheckedChange,
  diagnostics: Diagnostic[],
  errors: number,
  proof: string | undefined,
): string {
  const { summary, diff, base, head, fork } = checked;
  const verdict = errors > 0 ? '❌' : '✅';
  const pull = settings.pull ? ` — [#${settings.pull.number}](${settings.pull.url}) ${cell(settings.pull.title)}` : '';
  const sides = { base: `${settings.baseLabel} (${fork.slice(0, 12)})`, head: 'this pull request' };
  const diffDiagnostics = diagnostics.filter((d) => d.code === 'version-not-bumped');
  return [
    `# Aegis schema check${pull}`,
    '',
    `${verdict} ${summary.schemas} schema(s): ${errors} error(s), ${summary.warnings} warning(s); ` +
      `${diff.breaking ? 'breaking changes' : 'no breaking change'} against \`${cell(settings.baseLabel)}\``,
    '',
    ...diagnosticsTable(diagnostics),
    renderDiffMarkdown(diff, base.registry, head.registry, sides, diffDiagnostics),
    ...(proof ? ['### Migration proof', '', proof, ''] : []),
  ].join('\n');
}
