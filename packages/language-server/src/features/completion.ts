import { FK_ACTIONS } from '@aegis/core';
import type { Column, Schema } from '@aegis/core';
import { CompletionItemKind } from 'vscode-languageserver';
import type { CompletionItem, CompletionList, Position, Range } from 'vscode-languageserver';
import { cursorContext } from '../cursor-context.js';
import type { CursorContext, Section } from '../cursor-context.js';
import type { Workspace } from '../workspace.js';

/** Field names of each part of a schema file (SPEC §3). */
export const FIELDS: Record<Section, string[]> = {
  top: ['name', 'owner', 'version', 'description', 'columns', 'references', 'indexes', 'version_history'],
  columns: ['name', 'type', 'nullable', 'primary_key', 'unique', 'default', 'description'],
  references: ['schema', 'column', 'foreign_key', 'on_delete', 'on_update', 'description'],
  indexes: ['name', 'columns', 'unique', 'description'],
  version_history: ['version', 'date', 'changes'],
  other: [],
};

/** Common SQL column types, offered after `type:`. */
export const SQL_TYPES = [
  'UUID',
  'VARCHAR(255)',
  'TEXT',
  'CHAR(1)',
  'INTEGER',
  'BIGINT',
  'SMALLINT',
  'SERIAL',
  'BIGSERIAL',
  'BOOLEAN',
  'DECIMAL(15,2)',
  'NUMERIC',
  'REAL',
  'DOUBLE PRECISION',
  'DATE',
  'TIME',
  'TIMESTAMP',
  'TIMESTAMPTZ',
  'INTERVAL',
  'JSONB',
  'JSON',
  'BYTEA',
];

const BOOLEAN_KEYS = new Set(['nullable', 'primary_key', 'unique']);

type Item = { label: string; kind: CompletionItemKind; detail?: string };

const columnItems = (columns: Column[]): Item[] =>
  columns.map((c) => ({
    label: c.name.value,
    kind: CompletionItemKind.Field,
    detail: `${c.type.value}${c.primaryKey ? ' · primary key' : c.unique ? ' · unique' : ''}`,
  }));

function siblingValue(item: string[], key: string): string | undefined {
  for (const line of item) {
    const match = new RegExp(`(?:^|[\\s{,-])${key}:\\s*['"]?([\\w]+)`).exec(line);
    if (match) return match[1];
  }
  return undefined;
}

function valueItems(
  workspace: Workspace,
  own: Schema | undefined,
  file: string,
  ctx: Extract<CursorContext, { kind: 'value' }>,
): Item[] {
  const { section, key } = ctx;
  if (BOOLEAN_KEYS.has(key)) return ['true', 'false'].map((label) => ({ label, kind: CompletionItemKind.Value }));
  if (section === 'columns' && key === 'type')
    return SQL_TYPES.map((label) => ({ label, kind: CompletionItemKind.TypeParameter }));
  if (section === 'references' && (key === 'on_delete' || key === 'on_update')) {
    return FK_ACTIONS.map((label) => ({ label, kind: CompletionItemKind.EnumMember }));
  }
  if (section === 'references' && key === 'schema') {
    return [...workspace.registry.schemas.values()]
      .map((s) => ({ label: s.name.value, kind: CompletionItemKind.Class, detail: s.description ?? s.file }))
      .sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  }
  if (section === 'references' && key === 'column') {
    const target = workspace.schemaNamed(siblingValue(ctx.item, 'schema') ?? '');
    return target ? columnItems(target.columns) : [];
  }
  if ((section === 'references' && key === 'foreign_key') || (section === 'indexes' && key === 'columns')) {
    return columnItems(own?.columns ?? []);
  }
  if (section === 'top' && key === 'name') {
    const base = /([^/]+)\.ya?ml$/.exec(file)?.[1];
    return base ? [{ label: base, kind: CompletionItemKind.Class, detail: 'the file name' }] : [];
  }
  if (section === 'top' && key === 'owner') {
    const owners = new Set<string>();
    for (const s of workspace.registry.schemas.values()) if (s.owner) owners.add(s.owner.value);
    return [...owners].sort().map((label) => ({ label, kind: CompletionItemKind.Constant }));
  }
  return [];
}

const toCompletion = (item: Item, range: Range, prefix: string): CompletionItem => ({
  label: item.label,
  kind: item.kind,
  ...(item.detail === undefined ? {} : { detail: item.detail }),
  textEdit: { range, newText: `${prefix}${item.label}` },
});

/** At most this many items are returned; past it the list is marked incomplete so the client asks again. */
export const COMPLETION_LIMIT = 100;

/** The items whose label starts with what is typed (case-insensitive), capped at `COMPLETION_LIMIT`. */
function filtered<T extends { label: string }>(items: T[], prefix: string): { items: T[]; isIncomplete: boolean } {
  const typed = prefix.toLowerCase();
  const matching = typed === '' ? items : items.filter((i) => i.label.toLowerCase().startsWith(typed));
  return { items: matching.slice(0, COMPLETION_LIMIT), isIncomplete: matching.length > COMPLETION_LIMIT };
}

/**
 * Completion at the cursor: field names, schema names after `schema:`, the target's columns after
 * `column:`, this schema's columns in `foreign_key:` and index `columns:`, SQL types and FK actions. Only
 * items starting with the typed prefix are returned, at most `COMPLETION_LIMIT` (then `isIncomplete`).
 */
export function completion(workspace: Workspace, file: string, text: string, position: Position): CompletionList {
  const ctx = cursorContext(text, position);
  if (!ctx) return { isIncomplete: false, items: [] };
  if (ctx.kind === 'key') {
    const keys = filtered(
      FIELDS[ctx.section].map((label) => ({ label })),
      ctx.prefix,
    );
    return {
      isIncomplete: keys.isIncomplete,
      items: keys.items.map(({ label }) => ({
        label,
        kind: CompletionItemKind.Property,
        textEdit: { range: ctx.range, newText: `${label}: ` },
      })),
    };
  }
  const values = filtered(valueItems(workspace, workspace.lastGoodSchemaOf(file), file, ctx), ctx.prefix);
  return {
    isIncomplete: values.isIncomplete,
    items: values.items.map((item) => toCompletion(item, ctx.range, ctx.needsSpace ? ' ' : '')),
  };
}
