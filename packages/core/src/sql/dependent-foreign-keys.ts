import type { RegistryDiff, SchemaDiff } from '../diff/registry-diff.js';
import type { Registry } from '../model.js';
import { foreignKeyAddSteps, uniqueChanges } from './constraint-steps.js';
import { ident } from './identifiers.js';
import type { MigrationStep } from './migration-step.js';
import { postgresType } from './postgres-type.js';
import { namedReferences, stepFor } from './table-ddl.js';

/** Columns of a kept table whose type the plan changes. */
function retyped(diff: SchemaDiff): string[] {
  return diff.columns.changed
    .filter(({ before, after }) => postgresType(before.type.value).text !== postgresType(after.type.value).text)
    .map(({ after }) => after.name.value);
}

/**
 * Columns a foreign key may rest on that the plan replaces: a dropped primary key or unique constraint, a
 * removed or changed single-column unique index (PostgreSQL refuses to drop either under a foreign key), and
 * a column whose type changes (the key and its referencing column cannot differ in type, even for a moment).
 */
function replacedKeys(diff: RegistryDiff): Map<string, Set<string>> {
  const keys = new Map<string, Set<string>>();
  for (const s of diff.schemas) {
    if (s.status !== 'changed') continue;
    const uniqueIndexes = [...s.indexes.removed, ...s.indexes.changed.map((p) => p.before)].filter(
      (i) => i.unique && i.columns.length === 1,
    );
    const columns = new Set([
      ...(s.primaryKey?.before ?? []),
      ...uniqueChanges(s).dropped,
      ...uniqueIndexes.map((i) => i.columns[0]?.value ?? ''),
      ...retyped(s),
    ]);
    if (columns.size > 0) keys.set(s.name, columns);
  }
  return keys;
}

/**
 * Foreign keys of kept tables that rest on a key the plan replaces, or whose own column changes type: they are
 * dropped first and, when head still has them, added again once the new keys and types exist (guarded, NOT
 * VALID, then VALIDATE in its own transaction). Keys the diff already drops or changes itself are left to it.
 */
export function dependentForeignKeySteps(
  base: Registry,
  head: Registry,
  diff: RegistryDiff,
): { drop: MigrationStep[]; readd: MigrationStep[] } {
  const keys = replacedKeys(diff);
  const drop: MigrationStep[] = [];
  const readd: MigrationStep[] = [];
  for (const schema of base.schemas.values()) {
    const headSchema = head.schemas.get(schema.name.value);
    const own = diff.schemas.find((s) => s.name === schema.name.value);
    if (!headSchema || !own) continue;
    const handled = new Set([...own.references.removed, ...own.references.changed.map((p) => p.before)]);
    const ownRetyped = new Set(own.status === 'changed' ? retyped(own) : []);
    const headNamed = namedReferences(headSchema);
    for (const { reference, name } of namedReferences(schema)) {
      if (handled.has(reference)) continue;
      const restsOnReplaced = keys.get(reference.schema.value)?.has(reference.column.value) ?? false;
      if (!restsOnReplaced && !ownRetyped.has(reference.foreignKey.value)) continue;
      drop.push(
        stepFor(schema, `ALTER TABLE ${ident(schema.name.value)} DROP CONSTRAINT ${ident(name)};`, {
          note: 'rests on a key or a type the plan changes; added again below',
        }),
      );
      const again = headNamed.find((n) => n.name === name);
      if (again) readd.push(...foreignKeyAddSteps(headSchema, again, base.schemas.has(reference.schema.value)));
    }
  }
  return { drop, readd };
}
