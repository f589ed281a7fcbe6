import type { Reference, Schema } from '../model.js';
import type { SchemaDiff } from './registry-diff.js';
import { isBreaking, type FoundChange } from './change-classes.js';

type Emit = (change: FoundChange) => void;

const action = (a: Reference['onDelete']): string => a?.value ?? 'NO ACTION';
const target = (r: Reference): string => `${r.schema.value}.${r.column.value}`;

/** References keyed by their foreign-key column; a second reference on the same column gets `#2`. */
function byForeignKey(references: Reference[]): Map<string, Reference> {
  const map = new Map<string, Reference>();
  for (const reference of references) {
    let key = reference.foreignKey.value;
    for (let n = 2; map.has(key); n++) key = `${reference.foreignKey.value}#${n}`;
    map.set(key, reference);
  }
  return map;
}

/**
 * Compares references by foreign-key column. A new foreign key on an existing column is breaking (rows
 * without a match fail); on a column added in the same change it is not. A changed target or action is
 * breaking; a removed reference only loosens the rules.
 */
export function diffReferences(
  base: Schema,
  head: Schema,
  diff: SchemaDiff,
  emit: Emit,
  // A base reference's target as the head names it: a renamed table or column is still the same target.
  baseTarget: (reference: Reference) => string = target,
): void {
  const before = byForeignKey(base.references);
  const after = byForeignKey(head.references);
  const newColumns = new Set(diff.columns.added.map((c) => c.name.value));
  const renamedTo = new Map(diff.columns.renamed.map((p) => [p.before.name.value, p.after.name.value]));
  for (const [key, reference] of before) {
    const renamedKey = renamedTo.get(reference.foreignKey.value);
    if (after.has(key) || (renamedKey !== undefined && after.has(renamedKey))) continue;
    diff.references.removed.push(reference);
    emit({
      kind: 'reference-removed',
      subject: reference.foreignKey.value,
      reason: `foreign key ${reference.foreignKey.value} → ${target(reference)} was removed`,
      range: head.name.range,
    });
  }
  for (const [key, reference] of after) {
    const old = before.get(key) ?? before.get([...renamedTo].find(([, to]) => to === key)?.[0] ?? '');
    const fk = reference.foreignKey.value;
    if (!old) {
      diff.references.added.push(reference);
      const facts = { newColumn: newColumns.has(fk) };
      const breaking = isBreaking('reference-added', facts);
      const reason = breaking
        ? `foreign key ${fk} → ${target(reference)} was added on an existing column: rows without a matching ${target(reference)} fail`
        : `foreign key ${fk} → ${target(reference)} was added with its new column`;
      emit({ kind: 'reference-added', subject: fk, facts, reason, range: reference.range });
      continue;
    }
    const what: string[] = [];
    if (baseTarget(old) !== target(reference)) what.push(`target ${target(old)} → ${target(reference)}`);
    if (action(old.onDelete) !== action(reference.onDelete))
      what.push(`on_delete ${action(old.onDelete)} → ${action(reference.onDelete)}`);
    if (action(old.onUpdate) !== action(reference.onUpdate))
      what.push(`on_update ${action(old.onUpdate)} → ${action(reference.onUpdate)}`);
    if (what.length === 0) continue;
    diff.references.changed.push({ before: old, after: reference });
    emit({
      kind: 'reference-changed',
      subject: fk,
      reason: `foreign key ${fk} changed ${what.join(', ')}: what rows may hold, or what deletes and updates do, is different`,
      range: reference.range,
    });
  }
}
