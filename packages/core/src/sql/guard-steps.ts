import type { Reference, Schema } from '../model.js';
import { ident } from './identifiers.js';
import type { MigrationStep } from './migration-step.js';
import { stepFor } from './table-ddl.js';

/** A SQL string literal. */
export const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/**
 * A step that refuses the migration, inside the main transaction and so before anything commits, while
 * `condition` (an SQL query) finds a row: what would otherwise fail only after the commit, when the database
 * is already half-way.
 */
export function guardStep(schema: Schema, query: string, message: string, note: string): MigrationStep {
  const sql = `DO $aegis$ BEGIN IF EXISTS (${query}) THEN RAISE EXCEPTION ${literal(message)}; END IF; END $aegis$;`;
  return stepFor(schema, sql, { note });
}

/** Refuses NOT NULL while the column holds NULLs (no default to backfill them with). */
export function nullGuard(schema: Schema, column: string): MigrationStep {
  const [table, name] = [ident(schema.name.value), ident(column)];
  return guardStep(
    schema,
    `SELECT 1 FROM ${table} WHERE ${name} IS NULL`,
    `${schema.name.value}.${column} holds NULLs: NOT NULL refused (fill them in first)`,
    'existing NULLs make the migration fail before anything changes',
  );
}

/**
 * Refuses a foreign key while existing rows have no match, so its `VALIDATE` (run after the commit) cannot
 * fail on them. A target the plan creates is empty: then any non-NULL key has no match.
 */
export function foreignKeyGuard(schema: Schema, reference: Reference, targetExists: boolean): MigrationStep {
  const [table, key] = [ident(schema.name.value), ident(reference.foreignKey.value)];
  const target = `${reference.schema.value}.${reference.column.value}`;
  const match = targetExists
    ? ` AND NOT EXISTS (SELECT 1 FROM ${ident(reference.schema.value)} aegis_t WHERE aegis_t.${ident(reference.column.value)} = aegis_s.${key})`
    : '';
  return guardStep(
    schema,
    `SELECT 1 FROM ${table} aegis_s WHERE aegis_s.${key} IS NOT NULL${match}`,
    `${schema.name.value}.${reference.foreignKey.value} holds values with no match in ${target}: foreign key refused`,
    'rows without a match make the migration fail before anything changes',
  );
}

/** Refuses a new uniqueness while existing rows repeat a value (rows with a NULL in the columns never clash). */
export function uniqueGuard(schema: Schema, columns: string[]): MigrationStep {
  const list = columns.map(ident).join(', ');
  const present = columns.map((c) => `${ident(c)} IS NOT NULL`).join(' AND ');
  return guardStep(
    schema,
    `SELECT 1 FROM ${ident(schema.name.value)} WHERE ${present} GROUP BY ${list} HAVING count(*) > 1`,
    `${schema.name.value} (${columns.join(', ')}) holds duplicates: uniqueness refused`,
    'duplicates make the migration fail before anything changes',
  );
}
