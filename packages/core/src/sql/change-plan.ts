import { diffRegistries } from '../diff/diff-registries.js';
import type { RegistryDiff, SchemaDiff } from '../diff/registry-diff.js';
import type { Registry } from '../model.js';
import { alterColumnSteps } from './alter-column-steps.js';
import {
  addForeignKeySteps,
  addIndexSteps,
  addKeySteps,
  dropForeignKeySteps,
  dropKeySteps,
} from './constraint-steps.js';
import { createTablesSteps, splitForeignKeys } from './create-plan.js';
import { creationOrder } from './creation-order.js';
import { dependentForeignKeySteps } from './dependent-foreign-keys.js';
import { ident } from './identifiers.js';
import { hasRenames, renamedBase, renameSteps } from './rename-steps.js';
import type { MigrationStep } from './migration-step.js';
import { stepFor } from './table-ddl.js';

/** Drops removed tables, dependents first; foreign keys inside a removed cycle go before the tables. */
function dropTableSteps(base: Registry, removed: SchemaDiff[]): MigrationStep[] {
  const schemas = removed.flatMap((d) => (d.base ? [d.base] : []));
  const order = creationOrder(schemas).reverse();
  const byName = new Map(schemas.map((s) => [s.name.value, s]));
  const steps: MigrationStep[] = [];
  const created = new Set<string>();
  const cyclic: MigrationStep[] = [];
  for (const name of [...order].reverse()) {
    const schema = byName.get(name);
    if (!schema) continue;
    for (const { reference, name: fk } of splitForeignKeys(schema, created, (n) => base.schemas.has(n)).deferred) {
      if (reference.schema.value !== name && byName.has(reference.schema.value))
        cyclic.push(stepFor(schema, `ALTER TABLE ${ident(name)} DROP CONSTRAINT ${ident(fk)};`));
    }
    created.add(name);
  }
  for (const name of order) {
    const schema = byName.get(name);
    if (schema)
      steps.push(
        stepFor(schema, `DROP TABLE ${ident(name)};`, {
          destructive: true,
          note: 'the table and all its rows are gone',
        }),
      );
  }
  return [...cyclic, ...steps];
}

/**
 * The ordered PostgreSQL statements that turn a database built from `base` into one matching `head`: stated
 * renames; drop foreign keys that are removed, changed or rest on what changes; drop removed tables; drop
 * removed keys and indexes; alter kept tables' columns; add keys and indexes (CONCURRENTLY, a changed index
 * built before the old one goes); create new tables; add foreign keys (guarded, NOT VALID, VALIDATE in its own
 * transaction). What data could make fail after the commit is guarded before it. Destructive steps are marked,
 * heavy locks flagged with the safer form used or advised, each step names its schema and owner. Pure.
 */
export function changePlan(
  base: Registry,
  head: Registry,
  diff: RegistryDiff = diffRegistries(base, head),
): MigrationStep[] {
  // Stated renames run first; the rest of the plan starts from the renamed base, where names already match.
  if (hasRenames(diff.renames))
    return [...renameSteps(base, head, diff.renames), ...changePlan(renamedBase(base, diff.renames), head)];
  const order = new Map(creationOrder(head.schemas.values()).map((name, i) => [name, i]));
  const byHeadOrder = (a: SchemaDiff, b: SchemaDiff): number => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0);
  const kept = diff.schemas.filter((s) => s.status === 'changed').sort(byHeadOrder);
  const added = diff.schemas.filter((s) => s.status === 'added').flatMap((s) => (s.head ? [s.head] : []));
  const removed = diff.schemas.filter((s) => s.status === 'removed');
  const known = (name: string): boolean => head.schemas.has(name);
  const existing = new Set([...base.schemas.keys()].filter((n) => head.schemas.has(n)));
  const dependent = dependentForeignKeySteps(base, head, diff);
  return [
    ...dependent.drop,
    ...kept.flatMap(dropForeignKeySteps),
    ...dropTableSteps(base, removed),
    ...kept.flatMap(dropKeySteps),
    ...kept.flatMap(alterColumnSteps),
    ...kept.flatMap(addKeySteps),
    ...kept.flatMap(addIndexSteps),
    ...createTablesSteps(added, known, existing),
    ...kept.flatMap((d) => addForeignKeySteps(d, known, existing)),
    ...dependent.readd,
  ];
}
