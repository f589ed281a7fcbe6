import type { Range } from '@aegis/core';
import type { SymbolTarget } from './symbol-at.js';
import type { Workspace } from './workspace.js';

/** One place a schema or column is named. */
export interface Occurrence {
  file: string;
  range: Range;
  /** The schema's `name:` or the column's `- name:` itself. */
  declaration: boolean;
}

/** The declaration of a target: the schema's name, or the column's name in the target schema. */
export function declarationOf(workspace: Workspace, target: SymbolTarget): Occurrence | undefined {
  const schema = workspace.schemaNamed(target.schema);
  if (!schema) return undefined;
  if (target.kind === 'schema') return { file: schema.file, range: schema.name.range, declaration: true };
  const column = schema.columns.find((c) => c.name.value === target.column);
  return column && { file: schema.file, range: column.name.range, declaration: true };
}

/**
 * Every place a schema or column is named across the registry, declaration first: for a schema, the
 * `schema:` of each reference to it; for a column, the `column:` of references to its schema, and in its
 * own schema the `foreign_key:` and index columns naming it. Uses the referrer index, not a full scan.
 */
export function occurrencesOf(workspace: Workspace, target: SymbolTarget): Occurrence[] {
  const found: Occurrence[] = [];
  const declaration = declarationOf(workspace, target);
  if (declaration) found.push(declaration);
  for (const file of workspace.referrersOf(target.schema).sort()) {
    for (const ref of workspace.schemaOf(file)?.references ?? []) {
      if (ref.schema.value !== target.schema) continue;
      if (target.kind === 'schema') found.push({ file, range: ref.schema.range, declaration: false });
      else if (ref.column.value === target.column) found.push({ file, range: ref.column.range, declaration: false });
    }
  }
  const own = declaration && target.kind === 'column' ? workspace.schemaOf(declaration.file) : undefined;
  if (own && target.kind === 'column') {
    for (const ref of own.references) {
      if (ref.foreignKey.value === target.column)
        found.push({ file: own.file, range: ref.foreignKey.range, declaration: false });
    }
    for (const index of own.indexes) {
      for (const column of index.columns) {
        if (column.value === target.column) found.push({ file: own.file, range: column.range, declaration: false });
      }
    }
  }
  return found;
}
