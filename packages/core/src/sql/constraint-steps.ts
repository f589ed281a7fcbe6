import type { Schema } from '../model.js';
import type { SchemaDiff } from '../diff/registry-diff.js';
import { addForeignKeySql } from './create-plan.js';
import { ident, primaryKeyName, uniqueName } from './identifiers.js';
import type { MigrationStep } from './migration-step.js';
import { createIndexSql, namedReferences, stepFor, uniqueColumns, type NamedReference } from './table-ddl.js';

const DROP_INDEX = 'DROP INDEX CONCURRENTLY waits for running transactions instead of locking the table.';

/** Named references of a side, limited to the given reference objects. */
function pick(schema: Schema | undefined, references: readonly unknown[]): NamedReference[] {
  return schema ? namedReferences(schema).filter((n) => references.includes(n.reference)) : [];
}

/** Unique columns on each side, by name, following renames. */
export function uniqueChanges(diff: SchemaDiff): { dropped: string[]; added: string[] } {
  if (!diff.base || !diff.head) return { dropped: [], added: [] };
  const renamed = new Map(diff.columns.renamed.map((p) => [p.before.name.value, p.after.name.value]));
  const before = new Set(uniqueColumns(diff.base).map((c) => renamed.get(c.name.value) ?? c.name.value));
  const after = new Set(uniqueColumns(diff.head).map((c) => c.name.value));
  const removedColumns = new Set(diff.columns.removed.map((c) => c.name.value));
  return {
    dropped: [...before].filter((c) => !after.has(c) && !removedColumns.has(c)),
    added: [...after].filter((c) => !before.has(c)),
  };
}

/** Constraints and indexes of a kept table that must go before its columns change. */
export function dropConstraintSteps(diff: SchemaDiff): MigrationStep[] {
  const { base, head } = diff;
  if (!base || !head) return [];
  const table = ident(head.name.value);
  const steps: MigrationStep[] = [];
  for (const { name } of pick(base, [...diff.references.removed, ...diff.references.changed.map((p) => p.before)])) {
    steps.push(stepFor(head, `ALTER TABLE ${table} DROP CONSTRAINT ${ident(name)};`));
  }
  for (const index of [...diff.indexes.removed, ...diff.indexes.changed.map((p) => p.before)]) {
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
  head: Schema,
  name: string,
  columns: string[],
  kind: 'UNIQUE' | 'PRIMARY KEY',
): MigrationStep[] {
  const table = ident(head.name.value);
  const cols = columns.map(ident).join(', ');
  return [
    stepFor(head, `CREATE UNIQUE INDEX CONCURRENTLY ${ident(name)} ON ${table} (${cols});`, {
      transactional: false,
      note: `ADD ${kind} directly builds the index under an ACCESS EXCLUSIVE lock; built concurrently, writes continue`,
    }),
    stepFor(head, `ALTER TABLE ${table} ADD CONSTRAINT ${ident(name)} ${kind} USING INDEX ${ident(name)};`),
  ];
}

/** New primary keys and unique columns of a kept table: after the columns exist, before foreign keys use them. */
export function addKeySteps(diff: SchemaDiff): MigrationStep[] {
  const head = diff.head;
  if (!head || !diff.base) return [];
  const steps: MigrationStep[] = [];
  if (diff.primaryKey && diff.primaryKey.after.length > 0) {
    steps.push(...uniqueViaIndex(head, primaryKeyName(head.name.value), diff.primaryKey.after, 'PRIMARY KEY'));
  }
  for (const column of uniqueChanges(diff).added)
    steps.push(...uniqueViaIndex(head, uniqueName(head.name.value, column), [column], 'UNIQUE'));
  return steps;
}

/** New and changed foreign keys of a kept table: NOT VALID first (brief lock), then VALIDATE (light lock). */
export function addForeignKeySteps(diff: SchemaDiff, known: (name: string) => boolean): MigrationStep[] {
  const head = diff.head;
  if (!head || !diff.base) return [];
  const steps: MigrationStep[] = [];
  for (const named of pick(head, [...diff.references.added, ...diff.references.changed.map((p) => p.after)])) {
    if (!known(named.reference.schema.value)) continue;
    steps.push(
      stepFor(head, addForeignKeySql(head.name.value, named, true), {
        note: 'NOT VALID skips checking existing rows under the lock',
      }),
    );
    steps.push(
      stepFor(head, `ALTER TABLE ${ident(head.name.value)} VALIDATE CONSTRAINT ${ident(named.name)};`, {
        note: 'checks existing rows under SHARE UPDATE EXCLUSIVE: writes continue',
      }),
    );
  }
  return steps;
}

/** New and changed indexes of a kept table, built CONCURRENTLY (outside a transaction). */
export function addIndexSteps(diff: SchemaDiff): MigrationStep[] {
  const head = diff.head;
  if (!head || !diff.base) return [];
  return [...diff.indexes.added, ...diff.indexes.changed.map((p) => p.after)].map((index) =>
    stepFor(head, createIndexSql(head.name.value, index, true), {
      transactional: false,
      note: 'CONCURRENTLY: writes continue while the index builds',
    }),
  );
}
