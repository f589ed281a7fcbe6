import type { Column, FkAction, Index, Reference, Schema, Spanned, VersionHistoryEntry } from '../model.js';
import { FK_ACTIONS } from '../model.js';
import type { YamlTree } from './yaml-tree.js';
import type { RangeMapper } from './range-mapper.js';
import { pairsByKey, scalarOf, scalarText, seqItems, spannedString } from './yaml-nodes.js';

/**
 * The compact model of a schema document, built best-effort: whatever is well-formed is kept (so editors
 * can navigate a file being typed), whatever is not is left out (the JSON Schema reports it).
 * Returns undefined when the document has no string `name`.
 */
export function buildSchema(file: string, doc: YamlTree, ranges: RangeMapper): Schema | undefined {
  const root = pairsByKey(doc.contents);
  const name = spannedString(root.get('name')?.value, ranges);
  if (!name) return undefined;
  const schema: Schema = {
    file,
    name,
    owner: spannedString(root.get('owner')?.value, ranges),
    version: spannedString(root.get('version')?.value, ranges),
    columns: compact(seqItems(root.get('columns')?.value).map((item) => buildColumn(item, ranges))),
    references: compact(seqItems(root.get('references')?.value).map((item) => buildReference(item, ranges))),
    indexes: compact(seqItems(root.get('indexes')?.value).map((item) => buildIndex(item, ranges))),
    versionHistory: compact(seqItems(root.get('version_history')?.value).map(buildHistoryEntry)),
    range: ranges.node(doc),
  };
  const description = scalarOf(root.get('description')?.value, 'string');
  if (description !== undefined) schema.description = description;
  const renamedFrom = spannedString(root.get('renamed_from')?.value, ranges);
  if (renamedFrom) schema.renamedFrom = renamedFrom;
  return schema;
}

function buildColumn(item: unknown, ranges: RangeMapper): Column | undefined {
  const pairs = pairsByKey(item);
  const name = spannedString(pairs.get('name')?.value, ranges);
  if (!name) return undefined;
  const primaryKey = scalarOf(pairs.get('primary_key')?.value, 'boolean') ?? false;
  const column: Column = {
    name,
    // A column without a usable type keeps an empty one at its name, so checks can skip it.
    type: spannedString(pairs.get('type')?.value, ranges) ?? { value: '', range: name.range },
    nullable: scalarOf(pairs.get('nullable')?.value, 'boolean') ?? !primaryKey,
    primaryKey,
    unique: scalarOf(pairs.get('unique')?.value, 'boolean') ?? false,
    range: ranges.node(item),
  };
  const defaultValue = scalarText(pairs.get('default')?.value);
  if (defaultValue !== undefined) column.default = defaultValue;
  const description = scalarOf(pairs.get('description')?.value, 'string');
  if (description !== undefined) column.description = description;
  const renamedFrom = spannedString(pairs.get('renamed_from')?.value, ranges);
  if (renamedFrom) column.renamedFrom = renamedFrom;
  return column;
}

function buildReference(item: unknown, ranges: RangeMapper): Reference | undefined {
  const pairs = pairsByKey(item);
  const schema = spannedString(pairs.get('schema')?.value, ranges);
  const column = spannedString(pairs.get('column')?.value, ranges);
  const foreignKey = spannedString(pairs.get('foreign_key')?.value, ranges);
  if (!schema || !column || !foreignKey) return undefined;
  const reference: Reference = {
    schema,
    column,
    foreignKey,
    onDelete: fkAction(spannedString(pairs.get('on_delete')?.value, ranges)),
    onUpdate: fkAction(spannedString(pairs.get('on_update')?.value, ranges)),
    range: ranges.node(item),
  };
  const description = scalarOf(pairs.get('description')?.value, 'string');
  if (description !== undefined) reference.description = description;
  return reference;
}

function buildIndex(item: unknown, ranges: RangeMapper): Index | undefined {
  const pairs = pairsByKey(item);
  const name = spannedString(pairs.get('name')?.value, ranges);
  if (!name) return undefined;
  const index: Index = {
    name,
    columns: compact(seqItems(pairs.get('columns')?.value).map((column) => spannedString(column, ranges))),
    unique: scalarOf(pairs.get('unique')?.value, 'boolean') ?? false,
    range: ranges.node(item),
  };
  const description = scalarOf(pairs.get('description')?.value, 'string');
  if (description !== undefined) index.description = description;
  return index;
}

function buildHistoryEntry(item: unknown): VersionHistoryEntry | undefined {
  const pairs = pairsByKey(item);
  const version = scalarText(pairs.get('version')?.value);
  if (version === undefined) return undefined;
  const entry: VersionHistoryEntry = { version };
  const date = scalarText(pairs.get('date')?.value);
  if (date !== undefined) entry.date = date;
  const changes = scalarText(pairs.get('changes')?.value);
  if (changes !== undefined) entry.changes = changes;
  return entry;
}

function fkAction(value: Spanned<string> | undefined): Spanned<FkAction> | undefined {
  return value && (FK_ACTIONS as readonly string[]).includes(value.value) ? (value as Spanned<FkAction>) : undefined;
}

function compact<T>(items: (T | undefined)[]): T[] {
  return items.filter((item): item is T => item !== undefined);
}
