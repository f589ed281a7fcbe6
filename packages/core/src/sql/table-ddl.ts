import type { Column, Reference, Schema } from '../model.js';
import { foreignKeyName, ident, primaryKeyName, uniqueName } from './identifiers.js';
import type { MigrationStep } from './migration-step.js';
import { postgresType } from './postgres-type.js';

/** A reference with the constraint name it gets (ordinals count references on the same column). */
export interface NamedReference {
  reference: Reference;
  name: string;
}

/** Names every reference of a schema the same way in create and change plans. */
export function namedReferences(schema: Schema): NamedReference[] {
  const seen = new Map<string, number>();
  return schema.references.map((reference) => {
    const column = reference.foreignKey.value;
    const ordinal = (seen.get(column) ?? 0) + 1;
    seen.set(column, ordinal);
    return { reference, name: foreignKeyName(schema.name.value, column, ordinal) };
  });
}

/** `name TYPE [NOT NULL] [DEFAULT expr]` as in CREATE TABLE and ADD COLUMN. */
export function columnDefinition(column: Column): string {
  const parts = [ident(column.name.value), postgresType(column.type.value).text];
  if (!column.nullable || column.primaryKey) parts.push('NOT NULL');
  if (column.default !== undefined) parts.push(`DEFAULT ${column.default}`);
  return parts.join(' ');
}

/** Columns that get a UNIQUE constraint of their own (a sole primary key is unique already). */
export function uniqueColumns(schema: Schema): Column[] {
  const pk = schema.columns.filter((c) => c.primaryKey);
  return schema.columns.filter((c) => c.unique && !(pk.length === 1 && pk[0] === c));
}

/** `FOREIGN KEY (c) REFERENCES t (id) ON DELETE … ON UPDATE …`. */
export function foreignKeyClause(reference: Reference): string {
  let clause = `FOREIGN KEY (${ident(reference.foreignKey.value)}) REFERENCES ${ident(reference.schema.value)} (${ident(reference.column.value)})`;
  if (reference.onDelete) clause += ` ON DELETE ${reference.onDelete.value}`;
  if (reference.onUpdate) clause += ` ON UPDATE ${reference.onUpdate.value}`;
  return clause;
}

/** `CREATE TABLE` with columns, primary key, unique columns and the foreign keys given as inline. */
export function createTableSql(schema: Schema, inline: NamedReference[]): string {
  const table = schema.name.value;
  const lines = schema.columns.map(columnDefinition);
  const pk = schema.columns.filter((c) => c.primaryKey).map((c) => ident(c.name.value));
  if (pk.length > 0) lines.push(`CONSTRAINT ${ident(primaryKeyName(table))} PRIMARY KEY (${pk.join(', ')})`);
  for (const column of uniqueColumns(schema))
    lines.push(`CONSTRAINT ${ident(uniqueName(table, column.name.value))} UNIQUE (${ident(column.name.value)})`);
  for (const { reference, name } of inline) lines.push(`CONSTRAINT ${ident(name)} ${foreignKeyClause(reference)}`);
  return `CREATE TABLE ${ident(table)} (\n  ${lines.join(',\n  ')}\n);`;
}

/** `CREATE [UNIQUE] INDEX [CONCURRENTLY IF NOT EXISTS] name ON table (columns);` (a re-run skips a built one). */
export function createIndexSql(table: string, index: Schema['indexes'][number], concurrently: boolean): string {
  const columns = index.columns.map((c) => ident(c.value)).join(', ');
  const how = concurrently ? 'CONCURRENTLY IF NOT EXISTS ' : '';
  return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${how}${ident(index.name.value)} ON ${ident(table)} (${columns});`;
}

/** A step about one schema, filling in its owner. */
export function stepFor(
  schema: Schema,
  sql: string,
  extra: Partial<Omit<MigrationStep, 'schema' | 'owner' | 'sql'>> = {},
): MigrationStep {
  return {
    schema: schema.name.value,
    owner: schema.owner?.value ?? '',
    sql,
    destructive: false,
    transactional: true,
    ...extra,
  };
}
