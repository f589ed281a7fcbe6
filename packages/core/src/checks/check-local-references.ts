import type { Diagnostic } from '../diagnostic.js';
import { didYouMean } from '../did-you-mean.js';
import { makeDiagnostic } from '../make-diagnostic.js';
import type { Column, FkAction, Reference, Schema, Spanned } from '../model.js';

/**
 * The reference checks one file decides alone: fk-column-missing (`foreign_key` names no column of this
 * schema) and set-null-on-not-null (SET NULL on a column that cannot be null).
 */
export function checkLocalReferences(schema: Schema): Diagnostic[] {
  // The first declaration of a name counts (a repeat is reported as duplicate-column).
  const columns = new Map<string, Column>();
  for (const column of schema.columns) if (!columns.has(column.name.value)) columns.set(column.name.value, column);
  const diagnostics: Diagnostic[] = [];
  for (const reference of schema.references) {
    const column = columns.get(reference.foreignKey.value);
    if (!column) diagnostics.push(missingColumn(schema, reference, columns.keys()));
    else diagnostics.push(...setNullOnNotNull(schema, reference, column));
  }
  return diagnostics;
}

function missingColumn(schema: Schema, reference: Reference, columns: Iterable<string>): Diagnostic {
  const name = reference.foreignKey.value;
  const suggestion = didYouMean(name, columns);
  const add = `add a column "${name}" to columns`;
  return makeDiagnostic(
    'fk-column-missing',
    schema.file,
    reference.foreignKey.range,
    `foreign_key "${name}" is not a column of "${schema.name.value}"`,
    {
      hint: suggestion
        ? `Did you mean "${suggestion}"? Otherwise ${add}.`
        : `${add[0]?.toUpperCase()}${add.slice(1)}, or point foreign_key at an existing column.`,
      ...(suggestion ? { data: { suggestion } } : {}),
    },
  );
}

function setNullOnNotNull(schema: Schema, reference: Reference, column: Column): Diagnostic[] {
  if (column.nullable) return [];
  const actions: [string, Spanned<FkAction> | undefined][] = [
    ['on_delete', reference.onDelete],
    ['on_update', reference.onUpdate],
  ];
  return actions
    .filter((entry): entry is [string, Spanned<FkAction>] => entry[1]?.value === 'SET NULL')
    .map(([key, action]) =>
      makeDiagnostic(
        'set-null-on-not-null',
        schema.file,
        action.range,
        `${key}: SET NULL on "${column.name.value}", which is not nullable`,
        {
          hint: `Make "${column.name.value}" nullable: true, or use RESTRICT, CASCADE or NO ACTION.`,
          related: [
            {
              file: schema.file,
              range: column.name.range,
              message: `"${column.name.value}" is declared nullable: false`,
            },
          ],
        },
      ),
    );
}
