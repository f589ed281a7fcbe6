import type { RegistryDiff } from '../diff/registry-diff.js';
import type { Registry } from '../model.js';
import { addForeignKeySql } from './create-plan.js';
import { uniqueChanges } from './constraint-steps.js';
import { ident } from './identifiers.js';
import type { MigrationStep } from './migration-step.js';
import { namedReferences, stepFor } from './table-ddl.js';

/**
 * Foreign keys that rest on a key the plan drops: PostgreSQL refuses to drop a primary key or unique
 * constraint while a foreign key depends on it. They are dropped before the key and, when head still has
 * them, added again after the new keys exist (NOT VALID, then VALIDATE). Keys the diff already drops or
 * changes itself are left to it.
 */
export function dependentForeignKeySteps(
  base: Registry,
  head: Registry,
  diff: RegistryDiff,
): { drop: MigrationStep[]; readd: MigrationStep[] } {
  const droppedKeys = new Map<string, Set<string>>();
  for (const s of diff.schemas) {
    if (s.status !== 'changed') continue;
    const columns = new Set([...(s.primaryKey?.before ?? []), ...uniqueChanges(s).dropped]);
    if (columns.size > 0) droppedKeys.set(s.name, columns);
  }
  const drop: MigrationStep[] = [];
  const readd: MigrationStep[] = [];
  if (droppedKeys.size === 0) return { drop, readd };
  for (const schema of base.schemas.values()) {
    const headSchema = head.schemas.get(schema.name.value);
    const own = diff.schemas.find((s) => s.name === schema.name.value);
    if (!headSchema || !own) continue;
    const handled = new Set([...own.references.removed, ...own.references.changed.map((p) => p.before)]);
    const headNamed = namedReferences(headSchema);
    for (const { reference, name } of namedReferences(schema)) {
      const keyColumns = droppedKeys.get(reference.schema.value);
      if (handled.has(reference) || !keyColumns?.has(reference.column.value)) continue;
      drop.push(
        stepFor(schema, `ALTER TABLE ${ident(schema.name.value)} DROP CONSTRAINT ${ident(name)};`, {
          note: `rests on a key of ${reference.schema.value} that is being replaced; added again below`,
        }),
      );
      const again = headNamed.find((n) => n.name === name);
      if (!again) continue;
      readd.push(
        stepFor(headSchema, addForeignKeySql(headSchema.name.value, again, true), {
          note: 'NOT VALID skips checking existing rows under the lock',
        }),
      );
      readd.push(
        stepFor(headSchema, `ALTER TABLE ${ident(headSchema.name.value)} VALIDATE CONSTRAINT ${ident(again.name)};`),
      );
    }
  }
  return { drop, readd };
}
