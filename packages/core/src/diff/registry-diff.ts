import type { Range } from '../position.js';
import type { Column, Index, Reference, Schema } from '../model.js';
import type { StatedRenames } from './stated-renames.js';

/** What kind of thing changed. Stable strings: JSON output and the bot match on them. */
export type ChangeKind =
  | 'schema-added'
  | 'schema-removed'
  | 'schema-renamed'
  | 'schema-owner-changed'
  | 'schema-description-changed'
  | 'column-added'
  | 'column-removed'
  | 'column-renamed'
  | 'column-type-changed'
  | 'column-nullability-changed'
  | 'column-default-changed'
  | 'column-unique-changed'
  | 'column-description-changed'
  | 'primary-key-changed'
  | 'reference-added'
  | 'reference-removed'
  | 'reference-changed'
  | 'index-added'
  | 'index-removed'
  | 'index-changed';

/** One change between base and head, classed breaking or compatible with the reason why. */
export interface SchemaChange {
  kind: ChangeKind;
  schema: string;
  /** The column, index, or reference (named by its foreign-key column) concerned. */
  subject?: string;
  breaking: boolean;
  /** What changed and why that is (or is not) breaking, in one sentence. */
  reason: string;
  /** Where to report it: the node in the head file; a removed thing on the schema's name line; a removed schema in its base file. */
  file: string;
  range: Range;
}

/** Two versions of the same thing. */
export interface Pair<T> {
  before: T;
  after: T;
}

/** The changes of one schema, identified by its name (a moved file keeps its identity). */
export interface SchemaDiff {
  name: string;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  base?: Schema;
  head?: Schema;
  /** The base file's path when the schema moved to another file. */
  movedFrom?: string;
  /** The base name when the head states `renamed_from` (the table is renamed, not dropped and created). */
  renamedFrom?: string;
  columns: { added: Column[]; removed: Column[]; renamed: Pair<Column>[]; changed: Pair<Column>[] };
  /** References are matched by their foreign-key column. */
  references: { added: Reference[]; removed: Reference[]; changed: Pair<Reference>[] };
  /** Indexes are matched by name. */
  indexes: { added: Index[]; removed: Index[]; changed: Pair<Index>[] };
  /** The primary-key column list differs (ordered names). */
  primaryKey?: Pair<string[]>;
  changes: SchemaChange[];
}

/** Everything that differs between two registries. */
export interface RegistryDiff {
  /** Every schema of either side, by name, sorted; unchanged ones included with status 'unchanged'. */
  schemas: SchemaDiff[];
  /** All changes of all schemas, in schema then file order. */
  changes: SchemaChange[];
  /** Whether any change is breaking. */
  breaking: boolean;
  /** The renames the head states with `renamed_from`, and the ones it cannot honour. */
  renames: StatedRenames;
}
