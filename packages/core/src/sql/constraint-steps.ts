import type { Index, Schema } from '../model.js';
import type { SchemaDiff } from '../diff/registry-diff.js';
import { addForeignKeySql } from './create-plan.js';
import { foreignKeyGuard, nullGuard, uniqueGuard } from './guard-steps.js';
import { constraintName, ident, primaryKeyName, uniqueName } from './identifiers.js';
import type { MigrationStep } from './migration-step.js';
import { createIndexSql, namedReferences, stepFor, uniqueColumns, type NamedReference } from './table-ddl.js';

const DROP_INDEX = 'DROP INDEX CONCURRENTLY waits for running transactions instead of locking the table.';
const CONCURRENT = 'CONCURRENTLY: writes continue while the index builds';

/** Named references of a side, limited to the given reference objects. */
function pick(schema: Schema | undefined, references: readonly unknown[]): NamedReference[] {
  return schema ? namedReferences(schema).filter((n) => references.includes(n.reference)) : [];
}

/** Unique columns on each side, by name. */
export function uniqueChanges(diff: SchemaDiff): { dropped: string[]; added: string[] } {
  if (!diff.base || !diff.head) return { dropped: [], added: [] };
  const before = new Set(uniqueColumns(diff.base).map((c) => c.name.value));
  const after = new Set(uniqueColumns(diff.head).map((c) => c.name.value));
  const removedColumns = new Set(diff.columns.removed.map((c) => c.name.value));
  return {
    dropped: [...before].filter((c) => !after.has(c) && !removedColumns.has(c)),
    added: [...after].filter((c) => !before.has(c)),
  };
}

/** Removed and changed foreign keys of a kept table: before any table or key they rest on goes. */
export function dropForeignKeySteps(diff: SchemaDiff): MigrationStep[] {
  const { base, head } = diff;
  if (!base || !head) return [];
  const table = ident(head.name.value);
  return pick(base, [...diff.references.removed, ...diff.references.changed.map((p) => p.before)]).map(({ name }) =>
    stepFor(head, `ALTER TABLE ${table} DROP CONSTRAINT ${ident(name)};`),
  );
}

/** Removed indexes, unique constraints and a replaced primary key of a kept table: before its columns change. */
export function dropKeySteps(diff: SchemaDiff): MigrationStep[] {
  const { base, head } = diff;
  if (!base || !head) return [];
  const table = ident(head.name.value);
  const steps: MigrationStep[] = [];
  for (const index of diff.indexes.removed) {
    steps.push(
      stepFor(head, `DROP INDEX CONCURRENTLY IF EXISTS ${ident(index.name.value)};`, {
        transactional: false,
        note: DROP_INDEX,
      }),
    );
  }
  for (const column of uniqueChanges(diff).dropped) {
    steps.push(stepFor(head, `ALTER TABLE ${table} DROP CONSTRAINT ${ident(uniqueName(head.name.value, column))};`));
  }
  if (diff.primaryKey && diff.primaryKey.before.length > 0) {
    steps.push(
      stepFor(head, `ALTER TABLE ${table} DROP CONSTRAINT ${ident(primaryKeyName(head.name.value))};`, {
        note: 'the table has no primary key until the new one is added below',
      }),
    );
  }
  return steps;
}

/** A unique index built CONCURRENTLY, then attached as the constraint: no long ACCESS EXCLUSIVE lock. */
function uniqueViaIndex(
  [base, head]: [Schema, Schema],
  name: string,
  columns: string[],
  kind: 'UNIQUE' | 'PRIMARY KEY',
): MigrationStep[] {
  const table = ident(head.name.value);
  const cols = columns.map(ident).join(', ');
  // A primary key makes its columns NOT NULL: a NULL in a column that allowed them refuses it before the commit.
  const wasNotNull = (c: string): boolean => base.columns.some((x) => x.name.value === c && !x.nullable);
  const nullable = kind === 'PRIMARY KEY' ? columns.filter((c) => !wasNotNull(c)) : [];
  return [
    ...nullable.map((c) => nullGuard(head, c)),
    uniqueGuard(head, columns),
    stepFor(head, `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ${ident(name)} ON ${table} (${cols});`, {
      transactional: false,
      note: `ADD ${kind} directly builds the index under an ACCESS EXCLUSIVE lock; built concurrently, writes continue`,
    }),
    stepFor(head, `ALTER TABLE ${table} ADD CONSTRAINT ${ident(name)} ${kind} USING INDEX ${ident(name)};`),
  ];
}

/** New primary keys and unique columns of a kept table: after the columns exist, before foreign keys use them. */
export function addKeySteps(diff: SchemaDiff): MigrationStep[] {
  const { base, head } = diff;
  if (!head || !base) return [];
  const steps: MigrationStep[] = [];
  if (diff.primaryKey && diff.primaryKey.after.length > 0) {
    steps.push(...uniqueViaIndex([base, head], primaryKeyName(head.name.value), diff.primaryKey.after, 'PRIMARY KEY'));
  }
  for (const column of uniqueChanges(diff).added)
    steps.push(...uniqueViaIndex([base, head], uniqueName(head.name.value, column), [column], 'UNIQUE'));
  return steps;
}

/**
 * One foreign key on an existing table: a guard refusing rows without a match (before the commit), `ADD …
 * NOT VALID` (a brief lock), then `VALIDATE` in its own transaction after the commit (SHARE UPDATE EXCLUSIVE).
 */
export function foreignKeyAddSteps(schema: Schema, named: NamedReference, targetExists: boolean): MigrationStep[] {
  return [
    foreignKeyGuard(schema, named.reference, targetExists),
    stepFor(schema, addForeignKeySql(schema.name.value, named, true), {
      note: 'NOT VALID skips checking existing rows under the lock',
    }),
    stepFor(schema, `ALTER TABLE ${ident(schema.name.value)} VALIDATE CONSTRAINT ${ident(named.name)};`, {
      ownTransaction: true,
      note: 'checks existing rows under SHARE UPDATE EXCLUSIVE in its own transaction: writes continue',
    }),
  ];
}

/** New and changed foreign keys of a kept table. `existed` names the tables the base already had. */
export function addForeignKeySteps(
  diff: SchemaDiff,
  known: (name: string) => boolean,
  existed: ReadonlySet<string>,
): MigrationStep[] {
  const head = diff.head;
  if (!head || !diff.base) return [];
  return pick(head, [...diff.references.added, ...diff.references.changed.map((p) => p.after)])
    .filter((named) => known(named.reference.schema.value))
    .flatMap((named) => foreignKeyAddSteps(head, named, existed.has(named.reference.schema.value)));
}

/**
 * New and changed indexes of a kept table, built CONCURRENTLY (outside a transaction), unique ones after a
 * guard against duplicates. A changed index is built beside the old one under a temporary name, then the old
 * one is dropped and the new one takes its name: the table is never without it.
 */
export function addIndexSteps(diff: SchemaDiff): MigrationStep[] {
  const head = diff.head;
  if (!head || !diff.base) return [];
  const build = (index: Index, name: string): MigrationStep[] => [
    ...(index.unique
      ? [
          uniqueGuard(
            head,
            index.columns.map((c) => c.value),
          ),
        ]
      : []),
    stepFor(head, createIndexSql(head.name.value, { ...index, name: { ...index.name, value: name } }, true), {
      transactional: false,
      note: CONCURRENT,
    }),
  ];
  const steps = diff.indexes.added.flatMap((index) => build(index, index.name.value));
  for (const { after } of diff.indexes.changed) {
    const [name, temporary] = [after.name.value, constraintName(after.name.value, 'aegis_new')];
    steps.push(
      ...build(after, temporary),
      stepFor(head, `DROP INDEX CONCURRENTLY IF EXISTS ${ident(name)};`, { transactional: false, note: DROP_INDEX }),
      stepFor(head, `ALTER INDEX ${ident(temporary)} RENAME TO ${ident(name)};`, {
        note: 'the new index takes the old name once the old one is gone',
      }),
    );
  }
  return steps;
}
