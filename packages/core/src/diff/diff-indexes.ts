import type { Index, Schema } from '../model.js';
import type { SchemaDiff } from './registry-diff.js';
import { isBreaking, type FoundChange } from './change-classes.js';

type Emit = (change: FoundChange) => void;

const columnsOf = (index: Index): string => index.columns.map((c) => c.value).join(', ');

/** Compares indexes by name. Only a new uniqueness is breaking; indexes otherwise affect speed, not data. */
export function diffIndexes(base: Schema, head: Schema, diff: SchemaDiff, emit: Emit): void {
  const before = new Map(base.indexes.map((i) => [i.name.value, i]));
  const after = new Map(head.indexes.map((i) => [i.name.value, i]));
  for (const [name, index] of before) {
    if (after.has(name)) continue;
    diff.indexes.removed.push(index);
    emit({
      kind: 'index-removed',
      subject: name,
      reason: `index ${name} (${columnsOf(index)}) was removed${index.unique ? ': its uniqueness is no longer enforced' : ''}`,
      range: head.name.range,
    });
  }
  for (const [name, index] of after) {
    const old = before.get(name);
    if (!old) {
      diff.indexes.added.push(index);
      const reason = index.unique
        ? `unique index ${name} (${columnsOf(index)}) was added: duplicate values, existing or new, fail`
        : `index ${name} (${columnsOf(index)}) was added`;
      emit({ kind: 'index-added', subject: name, facts: { stricter: index.unique }, reason, range: index.name.range });
      continue;
    }
    if (columnsOf(old) === columnsOf(index) && old.unique === index.unique) continue;
    diff.indexes.changed.push({ before: old, after: index });
    // Uniqueness over fewer columns is a stricter rule; over a superset of the old columns, a looser one.
    const newColumns = new Set(index.columns.map((c) => c.value));
    const facts = { stricter: index.unique && (!old.unique || !old.columns.every((c) => newColumns.has(c.value))) };
    const breaking = isBreaking('index-changed', facts);
    const reason = `index ${name} changed (${columnsOf(old)}${old.unique ? ' unique' : ''}) → (${columnsOf(index)}${index.unique ? ' unique' : ''})${breaking ? ': rows that were allowed may now be duplicates' : ''}`;
    emit({ kind: 'index-changed', subject: name, facts, reason, range: index.name.range });
  }
}
