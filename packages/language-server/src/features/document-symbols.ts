import type { Range, Schema } from '@aegis/core';
import { SymbolKind } from 'vscode-languageserver';
import type { DocumentSymbol } from 'vscode-languageserver';
import { contains } from '../symbol-at.js';

const symbol = (
  name: string,
  detail: string,
  kind: SymbolKind,
  range: Range,
  selection: Range,
  children?: DocumentSymbol[],
): DocumentSymbol => {
  // Clients reject a selection outside the symbol's range; a half-typed file can produce one.
  const selectionRange = contains(range, selection.start) && contains(range, selection.end) ? selection : range;
  const result: DocumentSymbol = { name: name || '?', detail, kind, range, selectionRange };
  return children ? { ...result, children } : result;
};

/** The outline of a schema file: the table, its columns, references and indexes. */
export function documentSymbols(schema: Schema | undefined): DocumentSymbol[] {
  if (!schema) return [];
  const children: DocumentSymbol[] = [
    ...schema.columns.map((c) => symbol(c.name.value, c.type.value, SymbolKind.Field, c.range, c.name.range)),
    ...schema.references.map((r) =>
      symbol(
        `${r.foreignKey.value} → ${r.schema.value}.${r.column.value}`,
        'reference',
        SymbolKind.Interface,
        r.range,
        r.foreignKey.range,
      ),
    ),
    ...schema.indexes.map((i) =>
      symbol(
        i.name.value,
        `${i.unique ? 'unique ' : ''}index (${i.columns.map((c) => c.value).join(', ')})`,
        SymbolKind.Key,
        i.range,
        i.name.range,
      ),
    ),
  ];
  return [
    symbol(
      schema.name.value,
      schema.description ?? 'schema',
      SymbolKind.Struct,
      schema.range,
      schema.name.range,
      children,
    ),
  ];
}
