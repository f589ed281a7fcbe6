import type { Column, Schema } from '../model.js';
import type { SchemaDiff } from '../diff/registry-diff.js';
import { foreignKeyName, ident, notNullCheckName, uniqueName } from './identifiers.js';
import type { MigrationStep } from './migration-step.js';
import { columnDefinition, namedReferences, stepFor } from './table-ddl.js';
import { typeChangeSteps } from './type-change-steps.js';

/** Defaults PostgreSQL must compute per row (volatile functions), so adding the column rewrites the table. */
const VOLATILE = /\b(gen_random_uuid|uuid_generate_v[14]|random|clock_timestamp|timeofday|nextval)\s*\(/i;
const VOLATILE_DEFAULT =
  'ADD COLUMN with a volatile default rewrites the table under an ACCESS EXCLUSIVE lock. Safer: add the column without a default, SET DEFAULT, then backfill existing rows in batches.';

/** Column renames, with the constraints named after the column renamed too, so the catalog matches a fresh create. */
function renameSteps(head: Schema, diff: SchemaDiff): MigrationStep[] {
  const table = ident(head.name.value);
  const steps: MigrationStep[] = [];
  const baseRefs = diff.base ? namedReferences(diff.base) : [];
  for (const { before, after } of diff.columns.renamed) {
    const [from, to] = [before.name.value, after.name.value];
    steps.push(
      stepFor(head, `ALTER TABLE ${table} RENAME COLUMN ${ident(from)} TO ${ident(to)};`, {
        note: 'renaming breaks code that still uses the old name',
      }),
    );
    if (before.unique && after.unique)
      steps.push(
        stepFor(
          head,
          `ALTER TABLE ${table} RENAME CONSTRAINT ${ident(uniqueName(head.name.value, from))} TO ${ident(uniqueName(head.name.value, to))};`,
        ),
      );
    for (const { reference, name } of baseRefs) {
      if (reference.foreignKey.value !== from || diff.references.removed.includes(reference)) continue;
      const newName = name.replace(foreignKeyName(head.name.value, from), foreignKeyName(head.name.value, to));
      if (newName !== name)
        steps.push(stepFor(head, `ALTER TABLE ${table} RENAME CONSTRAINT ${ident(name)} TO ${ident(newName)};`));
    }
  }
  return steps;
}

/** NOT NULL without scanning under ACCESS EXCLUSIVE: a NOT VALID check, validated under a light lock, then SET NOT NULL uses it. */
function setNotNullSteps(head: Schema, column: Column): MigrationStep[] {
  const table = ident(head.name.value);
  const check = ident(notNullCheckName(head.name.value, column.name.value));
  const name = ident(column.name.value);
  return [
    stepFor(head, `ALTER TABLE ${table} ADD CONSTRAINT ${check} CHECK (${name} IS NOT NULL) NOT VALID;`, {
      note: 'SET NOT NULL alone scans the table under an ACCESS EXCLUSIVE lock; a validated check lets it skip the scan',
    }),
    stepFor(head, `ALTER TABLE ${table} VALIDATE CONSTRAINT ${check};`, {
      note: 'scans under SHARE UPDATE EXCLUSIVE: reads and writes continue; fails while NULLs remain (backfill first)',
    }),
    stepFor(head, `ALTER TABLE ${table} ALTER COLUMN ${name} SET NOT NULL;`),
    stepFor(head, `ALTER TABLE ${table} DROP CONSTRAINT ${check};`),
  ];
}

function changedColumnSteps(head: Schema, before: Column, after: Column): MigrationStep[] {
  const table = ident(head.name.value);
  const name = ident(after.name.value);
  const steps: MigrationStep[] = [];
  const type = typeChangeSteps(head, before, after);
  steps.push(...type);
  if (type.length === 0 && (before.default?.trim() ?? '') !== (after.default?.trim() ?? '')) {
    const sql =
      after.default === undefined
        ? `ALTER TABLE ${table} ALTER COLUMN ${name} DROP DEFAULT;`
        : `ALTER TABLE ${table} ALTER COLUMN ${name} SET DEFAULT ${after.default};`;
    steps.push(stepFor(head, sql));
  }
  const [wasNull, isNull] = [before.nullable && !before.primaryKey, after.nullable && !after.primaryKey];
  if (wasNull && !isNull && !after.primaryKey) steps.push(...setNotNullSteps(head, after));
  if (!wasNull && isNull) steps.push(stepFor(head, `ALTER TABLE ${table} ALTER COLUMN ${name} DROP NOT NULL;`));
  return steps;
}

/**
 * The column steps of one kept table: renames, drops, type/default/nullability changes, additions.
 * Constraints (unique, keys, indexes) are the caller's, so they can be ordered across tables.
 */
export function alterColumnSteps(diff: SchemaDiff): MigrationStep[] {
  const head = diff.head;
  if (!head) return [];
  const table = ident(head.name.value);
  const steps = renameSteps(head, diff);
  for (const column of diff.columns.removed) {
    steps.push(
      stepFor(head, `ALTER TABLE ${table} DROP COLUMN ${ident(column.name.value)};`, {
        destructive: true,
        note: 'the column and its data are gone',
      }),
    );
  }
  for (const { before, after } of [...diff.columns.changed, ...diff.columns.renamed])
    steps.push(...changedColumnSteps(head, before, after));
  for (const column of diff.columns.added) {
    const required = !column.nullable && column.default === undefined;
    // Adding with a constant (or stable) default is instant since PostgreSQL 11; a volatile one rewrites the table.
    const definition = columnDefinition({ ...column, primaryKey: false });
    steps.push(
      stepFor(head, `ALTER TABLE ${table} ADD COLUMN ${definition};`, {
        note: required ? 'NOT NULL without a default fails if the table already holds rows' : undefined,
        lockWarning: column.default !== undefined && VOLATILE.test(column.default) ? VOLATILE_DEFAULT : undefined,
      }),
    );
  }
  return steps;
}
