import type { Position, Range, Schema } from '@aegis/core';

/** What a position in a schema file names: a schema, or a column of a schema. */
export type SymbolTarget =
  { kind: 'schema'; schema: string; range: Range } | { kind: 'column'; schema: string; column: string; range: Range };

/** Whether `position` lies in `range` (both ends included, so a cursor just after a word still counts). */
export function contains(range: Range, position: Position): boolean {
  const { start, end } = range;
  if (position.line < start.line || position.line > end.line) return false;
  if (position.line === start.line && position.character < start.character) return false;
  return !(position.line === end.line && position.character > end.character);
}

/**
 * The symbol under the cursor, from the compact model alone: the schema's own name or a column's name
 * (declarations), a reference's `schema` and `column` (the target schema's), its `foreign_key` and an
 * index's column (this schema's columns).
 */
export function symbolAt(schema: Schema, position: Position): SymbolTarget | undefined {
  const own = schema.name.value;
  if (contains(schema.name.range, position)) return { kind: 'schema', schema: own, range: schema.name.range };
  for (const column of schema.columns) {
    if (contains(column.name.range, position)) {
      return { kind: 'column', schema: own, column: column.name.value, range: column.name.range };
    }
  }
  for (const ref of schema.references) {
    const target = ref.schema.value;
    if (contains(ref.schema.range, position)) return { kind: 'schema', schema: target, range: ref.schema.range };
    if (contains(ref.column.range, position)) {
      return { kind: 'column', schema: target, column: ref.column.value, range: ref.column.range };
    }
    if (contains(ref.foreignKey.range, position)) {
      return { kind: 'column', schema: own, column: ref.foreignKey.value, range: ref.foreignKey.range };
    }
  }
  for (const index of schema.indexes) {
    for (const column of index.columns) {
      if (contains(column.range, position)) {
        return { kind: 'column', schema: own, column: column.value, range: column.range };
      }
    }
  }
  return undefined;
}
