import type { Diagnostic } from '../diagnostic.js';
import { makeDiagnostic } from '../make-diagnostic.js';
import type { Schema } from '../model.js';

/** missing-primary-key (a warning): a table without a primary key cannot be referenced safely. */
export function checkPrimaryKey(schema: Schema): Diagnostic[] {
  if (schema.columns.length === 0 || schema.columns.some((column) => column.primaryKey)) return [];
  return [
    makeDiagnostic(
      'missing-primary-key',
      schema.file,
      schema.name.range,
      `Schema "${schema.name.value}" has no primary key column`,
      {
        hint: 'Mark one column `primary_key: true`, for example `- { name: id, type: UUID, nullable: false, primary_key: true }`.',
      },
    ),
  ];
}
