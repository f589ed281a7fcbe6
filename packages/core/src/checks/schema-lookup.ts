import type { Column, Schema } from '../model.js';

/** Per-schema maps built once and reused by every reference to that schema (keeps validation linear). */
export class SchemaLookup {
  private readonly columnMaps = new Map<Schema, Map<string, Column>>();
  private readonly uniqueIndexColumns = new Map<Schema, Set<string>>();

  /** The schema's columns by name (first declaration wins). */
  columns(schema: Schema): Map<string, Column> {
    let map = this.columnMaps.get(schema);
    if (!map) {
      map = new Map();
      for (const column of schema.columns) if (!map.has(column.name.value)) map.set(column.name.value, column);
      this.columnMaps.set(schema, map);
    }
    return map;
  }

  /** Whether a column identifies one row: primary key, `unique: true`, or alone in a unique index. */
  isUnique(schema: Schema, column: Column): boolean {
    if (column.primaryKey || column.unique) return true;
    let set = this.uniqueIndexColumns.get(schema);
    if (!set) {
      set = new Set(schema.indexes.filter((i) => i.unique && i.columns.length === 1).map((i) => i.columns[0]?.value ?? ''));
      this.uniqueIndexColumns.set(schema, set);
    }
    return set.has(column.name.value);
  }
}
