import type { Registry, Schema } from '../model.js';
import { classified, isBreaking, type FoundChange } from './change-classes.js';
import { diffColumns } from './diff-columns.js';
import { diffIndexes } from './diff-indexes.js';
import { diffReferences } from './diff-references.js';
import type { RegistryDiff, SchemaDiff } from './registry-diff.js';
import { headColumnName, headSchemaName, statedRenames, type StatedRenames } from './stated-renames.js';

const primaryKey = (schema: Schema): string[] => schema.columns.filter((c) => c.primaryKey).map((c) => c.name.value);

function emptyDiff(name: string, base?: Schema, head?: Schema): SchemaDiff {
  return {
    name,
    status: 'unchanged',
    base,
    head,
    columns: { added: [], removed: [], renamed: [], changed: [] },
    references: { added: [], removed: [], changed: [] },
    indexes: { added: [], removed: [], changed: [] },
    changes: [],
  };
}

/**
 * Compares two registries schema by schema. A schema is identified by its name, so moving it to another
 * file is no change. Every change is classed breaking or compatible with the reason, and placed on the
 * head file's node (removed things on the schema's name line).
 */
export function diffRegistries(base: Registry, head: Registry): RegistryDiff {
  const renames = statedRenames(base, head);
  const renamedAway = new Set(renames.schemas.values());
  const baseNames = [...base.schemas.keys()].filter((n) => !renamedAway.has(n));
  const names = [...new Set([...baseNames, ...head.schemas.keys()])].sort();
  const schemas = names.map((name) =>
    diffSchema(name, base.schemas.get(renames.schemas.get(name) ?? name), head.schemas.get(name), renames),
  );
  const changes = schemas.flatMap((s) => s.changes);
  return { schemas, changes, breaking: changes.some((c) => c.breaking), renames };
}

function diffSchema(
  name: string,
  base: Schema | undefined,
  head: Schema | undefined,
  renames: StatedRenames,
): SchemaDiff {
  const diff = emptyDiff(name, base, head);
  if (!base && head) {
    diff.status = 'added';
    diff.columns.added = [...head.columns];
    diff.references.added = [...head.references];
    diff.indexes.added = [...head.indexes];
    diff.changes.push({
      kind: 'schema-added',
      schema: name,
      breaking: isBreaking('schema-added'),
      reason: `schema ${name} was added`,
      file: head.file,
      range: head.name.range,
    });
    return diff;
  }
  if (base && !head) {
    diff.status = 'removed';
    diff.columns.removed = [...base.columns];
    diff.references.removed = [...base.references];
    diff.indexes.removed = [...base.indexes];
    diff.changes.push({
      kind: 'schema-removed',
      schema: name,
      breaking: isBreaking('schema-removed'),
      reason: `schema ${name} was removed: every reader, writer and foreign key of it breaks`,
      file: base.file,
      range: base.name.range,
    });
    return diff;
  }
  if (!base || !head) return diff;
  if (base.file !== head.file) diff.movedFrom = base.file;
  const emit = (change: FoundChange): void => {
    diff.changes.push({ ...classified(change), schema: name, file: head.file });
  };
  if (base.name.value !== name) {
    diff.renamedFrom = base.name.value;
    emit({
      kind: 'schema-renamed',
      reason: `schema ${base.name.value} was renamed to ${name} (renamed_from): code using the old table name breaks`,
      range: head.renamedFrom?.range ?? head.name.range,
    });
  }
  diffColumns(base, head, diff, emit, renames.columns.get(name));
  compareSchemaLevel(base, head, diff, emit);
  diffReferences(base, head, diff, emit, (r) => {
    const table = headSchemaName(renames, r.schema.value);
    return `${table}.${headColumnName(renames, table, r.column.value)}`;
  });
  diffIndexes(base, head, diff, emit);
  diff.changes.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
  diff.status = diff.changes.length > 0 ? 'changed' : 'unchanged';
  return diff;
}

function compareSchemaLevel(base: Schema, head: Schema, diff: SchemaDiff, emit: (c: FoundChange) => void): void {
  const range = head.name.range;
  if (base.owner?.value !== head.owner?.value) {
    emit({
      kind: 'schema-owner-changed',
      reason: `owner ${base.owner?.value ?? 'none'} → ${head.owner?.value ?? 'none'}`,
      range: head.owner?.range ?? range,
    });
  }
  if ((base.description ?? '') !== (head.description ?? '')) {
    emit({ kind: 'schema-description-changed', reason: 'description changed', range });
  }
  const renamedTo = new Map(diff.columns.renamed.map((p) => [p.before.name.value, p.after.name.value]));
  const before = primaryKey(base).map((n) => renamedTo.get(n) ?? n);
  const after = primaryKey(head);
  if (before.join(',') !== after.join(',')) {
    diff.primaryKey = { before, after };
    const pkColumn = head.columns.find((c) => c.primaryKey);
    emit({
      kind: 'primary-key-changed',
      reason: `primary key (${before.join(', ') || 'none'}) → (${after.join(', ') || 'none'}): row identity and the foreign keys pointing here change`,
      range: pkColumn?.name.range ?? range,
    });
  }
}
