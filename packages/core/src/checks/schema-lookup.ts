import { didYouMean } from '../did-you-mean.js';
import { schemaBaseName } from '../load/file-names.js';
import type { Column, LoadedFile, Registry, Schema } from '../model.js';

/** Per-schema maps built once and reused by every reference to that schema (keeps validation linear). */
export class SchemaLookup {
  private readonly columnMaps = new Map<Schema, Map<string, Column>>();
  private readonly uniqueIndexColumns = new Map<Schema, Set<string>>();
  private readonly primaryKeyWidths = new Map<Schema, number>();
  private readonly suggestions = new Map<string, string | undefined>();
  private unreadable: Map<string, LoadedFile> | undefined;

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

  /**
   * Whether a column identifies one row: the (single-column) primary key, `unique: true`, or alone in a
   * unique index. A column that is only part of a composite primary key does not.
   */
  isUnique(schema: Schema, column: Column): boolean {
    if (column.unique || (column.primaryKey && this.primaryKeyWidth(schema) === 1)) return true;
    let set = this.uniqueIndexColumns.get(schema);
    if (!set) {
      set = new Set(
        schema.indexes.filter((i) => i.unique && i.columns.length === 1).map((i) => i.columns[0]?.value ?? ''),
      );
      this.uniqueIndexColumns.set(schema, set);
    }
    return set.has(column.name.value);
  }

  /** How many columns make up the schema's primary key. */
  primaryKeyWidth(schema: Schema): number {
    let width = this.primaryKeyWidths.get(schema);
    if (width === undefined) {
      width = schema.columns.filter((column) => column.primaryKey).length;
      this.primaryKeyWidths.set(schema, width);
    }
    return width;
  }

  /** `didYouMean` over many candidates, computed once per name (a renamed schema is often referenced many times). */
  suggest(name: string, candidates: () => Iterable<string>): string | undefined {
    if (!this.suggestions.has(name)) this.suggestions.set(name, didYouMean(name, candidates()));
    return this.suggestions.get(name);
  }

  /** The file named after `name` (`users.yaml` for users) when it exists but yielded no schema. */
  unreadableFile(registry: Registry, name: string): LoadedFile | undefined {
    if (!this.unreadable) {
      this.unreadable = new Map();
      for (const loaded of registry.files.values()) {
        if (loaded.kind === 'schema' && !loaded.schema) this.unreadable.set(schemaBaseName(loaded.file), loaded);
      }
    }
    return this.unreadable.get(name);
  }
}
