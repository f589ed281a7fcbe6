import type { Diagnostic } from '../diagnostic.js';
import type { Registry } from '../model.js';
import { renderDiffErd } from './render-diff-erd.js';
import type { RegistryDiff, SchemaDiff } from './registry-diff.js';

/** Labels of the two sides, as the user named them (`main`, `HEAD`, `working tree`). */
export interface DiffSides {
  base: string;
  head: string;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function versionText(s: SchemaDiff): string {
  const [was, now] = [s.base?.version?.value, s.head?.version?.value];
  return was && now && was !== now ? `${was} → ${now}` : (now ?? was ?? '');
}

/** One line counting what the diff found. */
export function diffHeadline(diff: RegistryDiff): string {
  const counts = { added: 0, removed: 0, changed: 0 };
  for (const s of diff.schemas) if (s.status !== 'unchanged') counts[s.status] += 1;
  const breaking = diff.changes.filter((c) => c.breaking).length;
  if (diff.changes.length === 0) return 'No schema changes.';
  return `${plural(counts.changed, 'schema')} changed, ${counts.added} added, ${counts.removed} removed: ${plural(breaking, 'breaking change')}, ${diff.changes.length - breaking} compatible`;
}

/** The diff as plain text for a terminal: one block per touched schema, breaking changes marked. */
export function renderDiffText(diff: RegistryDiff, sides: DiffSides, diagnostics: Diagnostic[] = []): string {
  const lines = [`aegis diff ${sides.base} → ${sides.head}`];
  const sign = { added: '+', removed: '-', changed: '~', unchanged: ' ' } as const;
  for (const s of diff.schemas) {
    if (s.status === 'unchanged') continue;
    const owner = (s.head ?? s.base)?.owner?.value ?? 'no owner';
    lines.push(
      `${sign[s.status]} ${s.name} (${owner}) ${versionText(s)}${s.movedFrom ? ` (moved from ${s.movedFrom})` : ''}`,
    );
    for (const c of s.changes)
      lines.push(`    ${c.breaking ? 'BREAKING ' : 'ok       '} ${c.reason}  (${c.file}:${c.range.start.line + 1})`);
  }
  for (const d of diagnostics.filter((d) => d.code === 'version-not-bumped'))
    lines.push(`  version: ${d.message} (${d.file}:${d.range.start.line + 1})`);
  lines.push(diffHeadline(diff));
  return `${lines.join('\n')}\n`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * The diff as GitHub-flavoured Markdown: a headline, a table of every change (breaking first per schema)
 * naming schema, owner and version, the version problems, and a Mermaid ERD of the touched schemas and
 * their neighbours, which GitHub renders as a picture on the pull request.
 */
export function renderDiffMarkdown(
  diff: RegistryDiff,
  base: Registry,
  head: Registry,
  sides: DiffSides,
  diagnostics: Diagnostic[] = [],
): string {
  const out = [
    `## Schema diff \`${cell(sides.base)}\` → \`${cell(sides.head)}\``,
    '',
    `${diff.breaking ? '⚠️' : '✅'} ${diffHeadline(diff)}`,
    '',
  ];
  if (diff.changes.length === 0) return `${out.join('\n')}`;
  out.push('| schema | owner | version | change | impact |', '| --- | --- | --- | --- | --- |');
  for (const s of diff.schemas) {
    const owner = (s.head ?? s.base)?.owner?.value ?? '';
    for (const c of [...s.changes].sort((a, b) => Number(b.breaking) - Number(a.breaking))) {
      out.push(
        `| \`${s.name}\` | ${cell(owner)} | ${cell(versionText(s))} | ${cell(c.reason)} | ${c.breaking ? '**breaking**' : 'compatible'} |`,
      );
    }
  }
  const versions = diagnostics.filter((d) => d.code === 'version-not-bumped');
  if (versions.length > 0) out.push('', ...versions.map((d) => `- ❌ ${d.message} ${d.hint ?? ''}`.trimEnd()));
  out.push('', '```mermaid', renderDiffErd(diff, base, head).trimEnd(), '```', '');
  return out.join('\n');
}
