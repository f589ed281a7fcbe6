import type { Column, Schema } from '../model.js';
import type { SchemaDiff } from '../diff/registry-diff.js';
import { nullGuard } from './guard-steps.js';
import { ident, notNullCheckName } from './identifiers.js';
import type { MigrationStep } from './migration-step.js';
import { columnDefinition, stepFor } from './table-ddl.js';
import { typeChangeSteps } from './type-change-steps.js';

/** Defaults PostgreSQL must compute per row (volatile functions), so adding the column rewrites the table. */
const VOLATILE = /\b(gen_random_uuid|uuid_generate_v[14]|random|clock_timestamp|timeofday|nextval)\s*\(/i;
const VOLATILE_DEFAULT =
  'ADD COLUMN with a volatile default rewrites the table under an ACCESS EXCLUSIVE lock. Safer: add the column without a default, SET DEFAULT, then backfill existing rows in batches.';

/**
 * NOT NULL without a long lock: existing NULLs are backfilled with the default (or, without one, refused
 * before anything commits); a NOT VALID check stops new NULLs at once; after the commit, in transactions of
 * their own, the check is validated (SHARE UPDATE EXCLUSIVE: reads and writes continue), SET NOT NULL uses it
 * instead of scanning, and it is dropped.
 */
function setNotNullSteps(head: Schema, column: Column): MigrationStep[] {
  const table = ident(head.name.value);
  const check = ident(notNullCheckName(head.name.value, column.name.value));
  const name = ident(column.name.value);
  const own = { ownTransaction: true };
  const fill =
    column.default === undefined
      ? nullGuard(head, column.name.value)
      : stepFor(head, `UPDATE ${table} SET ${name} = ${column.default} WHERE ${name} IS NULL;`, {
          note: `existing NULLs become the default ${column.default} (row locks on those rows until the commit)`,
        });
  return [
    fill,
    stepFor(head, `ALTER TABLE ${table} ADD CONSTRAINT ${check} CHECK (${name} IS NOT NULL) NOT VALID;`, {
      note: 'SET NOT NULL alone scans the table under an ACCESS EXCLUSIVE lock; a validated check lets it skip the scan',
    }),
    stepFor(head, `ALTER TABLE ${table} VALIDATE CONSTRAINT ${check};`, {
      ...own,
      note: 'scans under SHARE UPDATE EXCLUSIVE in its own transaction: reads and writes continue',
    }),
    stepFor(head, `ALTER TABLE ${table} ALTER COLUMN ${name} SET NOT NULL;`, own),
    stepFor(head, `ALTER TABLE ${table} DROP CONSTRAINT ${check};`, own),
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
  if (!wasNull && isNull)
    steps.push(
      stepFor(head, `ALTER TABLE ${table} ALTER COLUMN ${name} DROP NOT NULL;`, {
        note: 'readers that assume a value must now expect NULL',
      }),
    );
  return steps;
}

/**
 * The column steps of one kept table (renames ran before, see `renameSteps`): drops, type/default/nullability changes, additions.
 * Constraints (unique, keys, indexes) are the caller's, so they can be ordered across tables.
 */
export function alterColumnSteps(diff: SchemaDiff): MigrationStep[] {
  const head = diff.head;
  if (!head) return [];
  const table = ident(head.name.value);
  const steps: MigrationStep[] = [];
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
