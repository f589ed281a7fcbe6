import type { Column, Schema } from '../model.js';
import { isWidening, postgresType } from '../sql/postgres-type.js';
import type { Pair, SchemaDiff } from './registry-diff.js';
import { isBreaking, type FoundChange } from './change-classes.js';

type Emit = (change: FoundChange) => void;

const defaultText = (column: Column): string | undefined => column.default?.trim();

/** The renames this schema states (`renamed_from`), as pairs of base and head column. */
function statedPairs(base: Schema, head: Schema, renamed: ReadonlyMap<string, string>): Pair<Column>[] {
  const pairs: Pair<Column>[] = [];
  for (const after of head.columns) {
    const from = renamed.get(after.name.value);
    const before = from === undefined ? undefined : base.columns.find((c) => c.name.value === from);
    if (before) pairs.push({ before, after });
  }
  return pairs;
}

/** Compares the columns of one schema, filling `diff.columns` and emitting classified changes. */
export function diffColumns(
  base: Schema,
  head: Schema,
  diff: SchemaDiff,
  emit: Emit,
  stated: ReadonlyMap<string, string> = new Map(),
): void {
  const baseBy = new Map(base.columns.map((c) => [c.name.value, c]));
  const headBy = new Map(head.columns.map((c) => [c.name.value, c]));
  const removed = base.columns.filter((c) => !headBy.has(c.name.value));
  const added = head.columns.filter((c) => !baseBy.has(c.name.value));
  const renamed = statedPairs(base, head, stated);
  diff.columns.renamed = renamed;
  diff.columns.removed = removed.filter((c) => !renamed.some((p) => p.before === c));
  diff.columns.added = added.filter((c) => !renamed.some((p) => p.after === c));

  for (const column of diff.columns.removed) {
    emit({
      kind: 'column-removed',
      subject: column.name.value,
      reason: `column ${column.name.value} (${column.type.value}) was removed: readers and writers of it break`,
      range: head.name.range,
    });
  }
  for (const { before, after } of renamed) {
    emit({
      kind: 'column-renamed',
      subject: after.name.value,
      reason: `column ${before.name.value} was renamed to ${after.name.value} (renamed_from): code using the old name breaks`,
      range: after.name.range,
    });
  }
  for (const column of diff.columns.added) emitAdded(column, emit);
  for (const after of head.columns) {
    const before = baseBy.get(after.name.value);
    if (before && compareColumn(before, after, emit)) diff.columns.changed.push({ before, after });
  }
}

function emitAdded(column: Column, emit: Emit): void {
  const name = column.name.value;
  const required = !column.nullable && column.default === undefined && !column.primaryKey;
  emit({
    kind: 'column-added',
    subject: name,
    facts: { required },
    reason: required
      ? `column ${name} was added NOT NULL without a default: existing rows and inserts that omit it fail`
      : `column ${name} was added (${column.nullable ? 'nullable' : 'with a default'})`,
    range: column.name.range,
  });
}

/** Emits the changes of one column kept by name; returns whether anything changed. */
function compareColumn(before: Column, after: Column, emit: Emit): boolean {
  const name = after.name.value;
  let changed = false;
  const [from, to] = [postgresType(before.type.value), postgresType(after.type.value)];
  if (from.text !== to.text) {
    changed = true;
    const widening = isWidening(from, to);
    const why = widening
      ? 'every existing value still fits'
      : isWidening(to, from)
        ? 'it narrows the column: existing or incoming values may no longer fit'
        : 'values may not convert';
    emit({
      kind: 'column-type-changed',
      subject: name,
      facts: { widening },
      reason: `column ${name} changed type ${before.type.value} → ${after.type.value}: ${why}`,
      range: after.type.range,
    });
  }
  if (before.nullable !== after.nullable) {
    changed = true;
    const tightened = !after.nullable;
    const facts = { tightened, hasDefault: after.default !== undefined };
    const breaking = isBreaking('column-nullability-changed', facts);
    const reason = !tightened
      ? `column ${name} became nullable: readers must now expect NULL`
      : breaking
        ? `column ${name} became NOT NULL without a default: existing NULLs and inserts that omit it fail`
        : `column ${name} became NOT NULL with a default (existing NULLs must be backfilled first)`;
    emit({ kind: 'column-nullability-changed', subject: name, facts, reason, range: after.name.range });
  }
  if (defaultText(before) !== defaultText(after)) {
    changed = true;
    const facts = { hasDefault: after.default !== undefined, notNull: !after.nullable };
    const breaking = isBreaking('column-default-changed', facts);
    const reason = breaking
      ? `column ${name} lost its default while NOT NULL: inserts that omit it fail`
      : `column ${name} default ${before.default ?? 'none'} → ${after.default ?? 'none'}`;
    emit({ kind: 'column-default-changed', subject: name, facts, reason, range: after.name.range });
  }
  if (before.unique !== after.unique) {
    changed = true;
    emit({
      kind: 'column-unique-changed',
      subject: name,
      facts: { tightened: after.unique },
      reason: after.unique
        ? `column ${name} became UNIQUE: duplicate values, existing or new, fail`
        : `column ${name} is no longer UNIQUE`,
      range: after.name.range,
    });
  }
  if ((before.description ?? '') !== (after.description ?? '')) {
    changed = true;
    emit({
      kind: 'column-description-changed',
      subject: name,
      reason: `column ${name} description changed`,
      range: after.name.range,
    });
  }
  return changed;
}
