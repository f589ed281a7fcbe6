import type { Column, Registry, Schema } from '../model.js';
import { mermaidName, mermaidText, mermaidType } from '../render/mermaid-names.js';
import type { RegistryDiff, SchemaDiff } from './registry-diff.js';

type Mark = 'added' | 'removed' | 'changed' | 'neighbour';

const CLASSES = [
  '    classDef added fill:#e6ffec,stroke:#1a7f37,color:#1a7f37',
  '    classDef removed fill:#ffebe9,stroke:#cf222e,color:#cf222e',
  '    classDef changed fill:#fff8c5,stroke:#9a6700',
  '    classDef neighbour fill:#f6f8fa,stroke:#8c959f,color:#57606a',
];

function attribute(column: Column, note: string | undefined, keys: string[]): string {
  const { type, full } = mermaidType(column.type.value);
  const comment = [note, full].filter(Boolean).join('; ');
  return `        ${[type, mermaidName(column.name.value), keys.join(', '), comment ? `"${mermaidText(comment)}"` : ''].filter(Boolean).join(' ')}`;
}

function keysOf(schema: Schema, column: Column): string[] {
  const keys = column.primaryKey ? ['PK'] : [];
  if (schema.references.some((r) => r.foreignKey.value === column.name.value)) keys.push('FK');
  if (column.unique && !column.primaryKey) keys.push('UK');
  return keys;
}

/** The entity block of a changed schema: head columns with what changed, removed columns kept and marked. */
function changedColumns(diff: SchemaDiff, head: Schema): string[] {
  const notes = new Map<string, string>();
  for (const c of diff.columns.added) notes.set(c.name.value, '+ added');
  for (const { before, after } of diff.columns.renamed)
    notes.set(after.name.value, `renamed from ${before.name.value}`);
  for (const { before, after } of diff.columns.changed) {
    if (!notes.has(after.name.value))
      notes.set(after.name.value, before.type.value !== after.type.value ? `was ${before.type.value}` : 'changed');
  }
  const lines = head.columns.map((c) => attribute(c, notes.get(c.name.value), keysOf(head, c)));
  for (const c of diff.columns.removed) lines.push(attribute(c, '- removed', []));
  return lines;
}

function entity(name: string, mark: Mark, lines: string[]): string[] {
  return [
    `    ${mermaidName(name)}["${mermaidText(mark === 'neighbour' ? name : `${name} (${mark})`)}"]:::${mark} {`,
    ...lines,
    '    }',
  ];
}

/**
 * A Mermaid `erDiagram` of the schemas a diff touches and their direct neighbours (through foreign keys,
 * in either registry): added tables and columns green, removed ones red (drawn from the base), changed
 * tables yellow with each changed column annotated, neighbours grey with only their key columns.
 */
export function renderDiffErd(diff: RegistryDiff, base: Registry, head: Registry): string {
  const touched = diff.schemas.filter((s) => s.status !== 'unchanged');
  const marks = new Map<string, Mark>(
    touched.map((s): [string, Mark] => [s.name, s.status === 'unchanged' ? 'neighbour' : s.status]),
  );
  const neighbours = new Set<string>();
  for (const registry of [base, head]) {
    for (const schema of registry.schemas.values()) {
      for (const reference of schema.references) {
        const [from, to] = [schema.name.value, reference.schema.value];
        if (marks.has(from) && !marks.has(to) && registry.schemas.has(to)) neighbours.add(to);
        if (marks.has(to) && !marks.has(from)) neighbours.add(from);
      }
    }
  }
  const lines = ['erDiagram'];
  for (const s of touched) {
    const schema = s.head ?? s.base;
    if (!schema) continue;
    const mark = marks.get(s.name) ?? 'changed';
    const columns =
      mark === 'changed' && s.head
        ? changedColumns(s, s.head)
        : schema.columns.map((c) => attribute(c, undefined, keysOf(schema, c)));
    lines.push(...entity(s.name, mark, columns));
  }
  for (const name of [...neighbours].sort()) {
    const schema = head.schemas.get(name) ?? base.schemas.get(name);
    if (schema)
      lines.push(
        ...entity(
          name,
          'neighbour',
          schema.columns
            .filter((c) => keysOf(schema, c).length > 0)
            .map((c) => attribute(c, undefined, keysOf(schema, c))),
        ),
      );
  }
  lines.push(...relationships(diff, base, head, new Set([...marks.keys(), ...neighbours])));
  return `${[...lines, ...CLASSES].join('\n')}\n`;
}

/** Head relationships among the drawn tables, plus removed ones from the base labelled as removed. */
function relationships(diff: RegistryDiff, base: Registry, head: Registry, drawn: Set<string>): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  const add = (from: string, to: string, fk: string, label: string): void => {
    const key = `${from}|${to}|${fk}`;
    if (seen.has(key) || !drawn.has(from) || !drawn.has(to)) return;
    seen.add(key);
    lines.push(`    ${mermaidName(to)} ||--o{ ${mermaidName(from)} : "${mermaidText(label)}"`);
  };
  for (const schema of head.schemas.values()) {
    for (const r of schema.references) add(schema.name.value, r.schema.value, r.foreignKey.value, r.foreignKey.value);
  }
  for (const s of diff.schemas) {
    for (const r of s.references.removed)
      if (s.base) add(s.name, r.schema.value, r.foreignKey.value, `${r.foreignKey.value} (removed)`);
  }
  for (const schema of base.schemas.values()) {
    if (head.schemas.has(schema.name.value)) continue;
    for (const r of schema.references)
      add(schema.name.value, r.schema.value, r.foreignKey.value, `${r.foreignKey.value} (removed)`);
  }
  return lines;
}
