import type { Diagnostic } from '../diagnostic.js';
import { schemaBaseName } from '../load/file-names.js';
import { makeDiagnostic } from '../make-diagnostic.js';
import type { Schema } from '../model.js';

/** name-mismatch: `name` must equal the file's base name, so a schema is found where its name says. */
export function checkName(schema: Schema): Diagnostic[] {
  const expected = schemaBaseName(schema.file);
  if (schema.name.value === expected) return [];
  return [
    makeDiagnostic(
      'name-mismatch',
      schema.file,
      schema.name.range,
      `Schema name "${schema.name.value}" does not match the file name "${expected}"`,
      {
        hint: `Rename the schema to "${expected}", or the file to "${schema.name.value}.yaml".`,
        data: { suggestion: expected },
      },
    ),
  ];
}
