import { DependentsIndex, renderErd } from '@aegis/core';
import type { ChangeCheck, Diagnostic, Registry } from '@aegis/core';
import type { CheckResult } from './check-result.js';
import type { MigrationProof } from './prove-migration.js';
import { toAnnotations } from './to-annotations.js';

/** A schema file the pull request changed, with the schema name on whichever side has it. */
export interface ChangedSchema {
  status: 'added' | 'modified' | 'removed' | 'renamed';
  path: string;
  name: string | undefined;
  owner: string | undefined;
  /** The owner on the base side: changing `owner` in the PR must not dodge the current owners. */
  baseOwner?: string | undefined;
}

/** Everything `aegis/validate` looks at, gathered by the caller from the mirror. */
export interface ValidateInput {
  head: Registry;
  /**
   * Core's `checkChange` of the pull request: validation, the change's own diagnostics and an edited
   * rbac.yaml's — the very answer `aegis check` prints.
   */
  checked: Pick<ChangeCheck, 'results'>;
  changed: ChangedSchema[];
  /** The change's SQL proven on a throwaway database, when the app has a verification database. */
  migration?: MigrationProof;
}

/** At most this many annotations (changed files first): beyond it a PR page is unreadable anyway. */
const MAX_ANNOTATIONS = 500;

function table(diagnostics: Diagnostic[], limit = 30): string {
  const rows = diagnostics.slice(0, limit).map((d) => {
    const msg = d.message.replace(/\|/g, '\\|').replace(/\n/g, ' ');
    return `| \`${d.file}\` | ${d.range.start.line + 1} | ${d.severity} \`${d.code}\` | ${msg} |`;
  });
  const more = diagnostics.length > limit ? `\n\n…and ${diagnostics.length - limit} more (see the annotations).` : '';
  return ['| file | line | problem | message |', '| --- | --- | --- | --- |', ...rows].join('\n') + more;
}

/** The summary lists at most this many changed files, and this many dependents of each. */
const MAX_LISTED_CHANGES = 50;
const MAX_LISTED_DEPENDENTS = 10;

/**
 * What the change touches, bounded: the first changed files with their nearest dependents, then one line
 * for the dependents of the whole change. One graph and one walk for the set, so a pull request of
 * thousands of files costs what the registry costs, not files × registry.
 */
function impact(input: ValidateInput): string {
  const index = new DependentsIndex(input.head);
  const lines: string[] = [];
  for (const c of input.changed.slice(0, MAX_LISTED_CHANGES)) {
    const what = c.name ? `\`${c.name}\`` : `\`${c.path}\``;
    lines.push(`- ${c.status} ${what} (${c.path})${c.owner ? `, owner **${c.owner}**` : ''}`);
    if (!c.name || !input.head.schemas.has(c.name)) continue;
    const dep = index.nearest(c.name, MAX_LISTED_DEPENDENTS);
    if (dep.schemas.length > 0) {
      const names = dep.schemas.map((s) => (s.direct ? `\`${s.name}\`` : `\`${s.name}\` (indirect)`));
      lines.push(`  - depended on by ${names.join(', ')}${dep.more ? ', …' : ''}`);
    }
  }
  const hidden = input.changed.length - MAX_LISTED_CHANGES;
  if (hidden > 0) lines.push(`- …and ${hidden} more changed files`);
  const present = input.changed.flatMap((c) => (c.name && input.head.schemas.has(c.name) ? [c.name] : []));
  const affected = index.affected(present);
  if (affected.count > 0)
    lines.push(
      `\n${affected.count} other schema${affected.count === 1 ? '' : 's'} depend on this change; services: ${affected.services.join(', ') || 'none'}`,
    );
  return lines.join('\n');
}

function erd(input: ValidateInput): string {
  const present = input.changed.filter((c) => c.name && input.head.schemas.has(c.name)).slice(0, 3);
  const diagrams = present.map((c) => renderErd(input.head, { focus: c.name, depth: 1 }));
  if (diagrams.length === 0) return '';
  const more = input.changed.length > present.length ? '\n\n(ERD shown for the first changed schemas.)' : '';
  return `\n\n### ERD of the change\n\n${diagrams.map((d) => '```mermaid\n' + d.trim() + '\n```').join('\n\n')}${more}`;
}

/** `aegis/validate`: every diagnostic of the head registry plus the change's own, as one readable check. */
export function validateCheck(input: ValidateInput): CheckResult {
  const changedPaths = new Set(input.changed.map((c) => c.path));
  const all = [...input.checked.results.values()].flat();
  const rank = (d: Diagnostic): number => (changedPaths.has(d.file) ? 0 : 1) + (d.severity === 'error' ? 0 : 2);
  all.sort((a, b) => rank(a) - rank(b));
  const errors = all.filter((d) => d.severity === 'error');
  const warnings = all.length - errors.length;
  const files = input.head.files.size;
  const title = errors.length
    ? `${errors.length} error${errors.length === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`
    : `${files} schema files valid${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`;
  const head = errors.length
    ? `### ❌ The registry at this commit has ${title}\n\n${table(all)}`
    : `### ✅ All ${files} files of the registry are valid${warnings ? ` (${warnings} warnings)\n\n${table(all)}` : ''}`;
  const changes = input.changed.length ? `\n\n### What changed\n\n${impact(input)}` : '\n\nNo schema file changed.';
  const annotations = toAnnotations(all.slice(0, MAX_ANNOTATIONS));
  const capped =
    all.length > MAX_ANNOTATIONS ? `\n\nAnnotations show the first ${MAX_ANNOTATIONS} of ${all.length}.` : '';
  const migration = input.migration ? `\n\n### Migration\n\n${input.migration.summary}` : '';
  const unproven = input.migration?.ok === false;
  return {
    name: 'aegis/validate',
    conclusion: errors.length || unproven ? 'failure' : 'success',
    title: !errors.length && unproven ? 'The migration does not prove out on PostgreSQL' : title,
    summary: head + capped + changes + migration + erd(input),
    annotations,
  };
}
