import type { Diagnostic } from '../diagnostic.js';
import { makeDiagnostic } from '../make-diagnostic.js';
import type { Schema, Spanned } from '../model.js';

/** duplicate-column and duplicate-index: every repeat of a name is reported, pointing back at the first. */
export function checkDuplicateNames(schema: Schema): Diagnostic[] {
  return [
    ...repeats(
      schema,
      schema.columns.map((c) => c.name),
      'duplicate-column',
      'Column',
    ),
    ...repeats(
      schema,
      schema.indexes.map((i) => i.name),
      'duplicate-index',
      'Index',
    ),
  ];
}

function repeats(
  schema: Schema,
  names: Spanned<string>[],
  code: 'duplicate-column' | 'duplicate-index',
  kind: string,
): Diagnostic[] {
  const first = new Map<string, Spanned<string>>();
  const diagnostics: Diagnostic[] = [];
  for (const name of names) {
    const earlier = first.get(name.value);
    if (!earlier) {
      first.set(name.value, name);
      continue;
    }
    diagnostics.push(
      makeDiagnostic(
        code,
        schema.file,
        name.range,
        `${kind} "${name.value}" is declared more than once in "${schema.name.value}"`,
        {
          hint: `Remove this ${kind.toLowerCase()} or give it another name.`,
          related: [{ file: schema.file, range: earlier.range, message: `First declaration of "${name.value}"` }],
        },
      ),
    );
  }
  return diagnostics;
}
