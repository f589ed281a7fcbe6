import type { Diagnostic } from '../diagnostic.js';
import { didYouMean } from '../did-you-mean.js';
import { makeDiagnostic } from '../make-diagnostic.js';
import type { Schema } from '../model.js';

/** index-unknown-column: every column an index lists must be a column of the schema. */
export function checkIndexColumns(schema: Schema): Diagnostic[] {
  const columns = new Set(schema.columns.map((column) => column.name.value));
  const diagnostics: Diagnostic[] = [];
  for (const index of schema.indexes) {
    for (const column of index.columns) {
      if (columns.has(column.value)) continue;
      const suggestion = didYouMean(column.value, columns);
      diagnostics.push(
        makeDiagnostic(
          'index-unknown-column',
          schema.file,
          column.range,
          `Index "${index.name.value}" lists "${column.value}", which is not a column of "${schema.name.value}"`,
          {
            hint: `${suggestion ? `Did you mean "${suggestion}"? ` : ''}List only columns declared under columns.`,
            ...(suggestion ? { data: { suggestion } } : {}),
          },
        ),
      );
    }
  }
  return diagnostics;
}
