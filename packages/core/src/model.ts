import type { Diagnostic } from './diagnostic.js';
import type { Range } from './position.js';

/** Foreign-key actions, as SQL spells them. */
export const FK_ACTIONS = ['CASCADE', 'RESTRICT', 'SET NULL', 'SET DEFAULT', 'NO ACTION'] as const;
export type FkAction = (typeof FK_ACTIONS)[number];

/** A scalar taken from the file together with the range of its node. */
export interface Spanned<T> {
  value: T;
  range: Range;
}

export interface Column {
  name: Spanned<string>;
  /** The SQL type as written (`VARCHAR(255)`); compare through `normalizeSqlType`. */
  type: Spanned<string>;
  /** As written; when omitted, true unless the column is a primary key (SQL's default). */
  nullable: boolean;
  primaryKey: boolean;
  unique: boolean;
  /** A SQL expression, as written (`CURRENT_TIMESTAMP`, `'PENDING'`). */
  default?: string;
  description?: string;
  /** `renamed_from`: the name this column had in the base, stated by whoever renamed it (never guessed). */
  renamedFrom?: Spanned<string>;
  /** The whole list item. */
  range: Range;
}

export interface Reference {
  /** The referenced schema. */
  schema: Spanned<string>;
  /** The referenced column of that schema. */
  column: Spanned<string>;
  /** The column of this schema holding the key. */
  foreignKey: Spanned<string>;
  onDelete: Spanned<FkAction> | undefined;
  onUpdate: Spanned<FkAction> | undefined;
  description?: string;
  range: Range;
}

export interface Index {
  name: Spanned<string>;
  columns: Spanned<string>[];
  unique: boolean;
  description?: string;
  range: Range;
}

export interface VersionHistoryEntry {
  version: string;
  date?: string;
  changes?: string;
}

/**
 * The compact model of one schema file: names, types, references and their source ranges, and nothing of
 * the YAML document. Built best-effort: a file with errors still yields whatever fields are usable, so
 * editors can navigate while the file is being typed.
 */
export interface Schema {
  file: string;
  name: Spanned<string>;
  owner: Spanned<string> | undefined;
  version: Spanned<string> | undefined;
  description?: string;
  columns: Column[];
  references: Reference[];
  indexes: Index[];
  versionHistory: VersionHistoryEntry[];
  /** `renamed_from`: the name this schema (table) had in the base, stated by whoever renamed it. */
  renamedFrom?: Spanned<string>;
  /** The range of the whole document, for diagnostics about the schema as a whole. */
  range: Range;
}

/** `registry.yaml`: metadata about the registry itself. */
export interface RegistryMetadata {
  file: string;
  name?: string;
  description?: string;
  version?: string;
}

/**
 * The result of loading one file: the compact schema (if the file is a usable schema) and the diagnostics
 * that the file alone decides (syntax, limits, JSON Schema, names and columns within the file).
 */
export interface LoadedFile {
  file: string;
  kind: 'schema' | 'metadata';
  schema?: Schema;
  metadata?: RegistryMetadata;
  diagnostics: Diagnostic[];
}

/** A whole registry: every file loaded, by path. */
export interface Registry {
  files: Map<string, LoadedFile>;
  /** Schemas by declared name (the first file wins when two declare the same name). */
  schemas: Map<string, Schema>;
}
