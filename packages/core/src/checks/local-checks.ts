import type { Diagnostic } from '../diagnostic.js';
import type { Schema } from '../model.js';
import { checkDuplicateNames } from './check-duplicate-names.js';
import { checkIndexColumns } from './check-index-columns.js';
import { checkLocalReferences } from './check-local-references.js';
import { checkName } from './check-name.js';
import { checkPrimaryKey } from './check-primary-key.js';

/** The checks one schema file decides alone, in the order their findings are gathered. */
const LOCAL_CHECKS: readonly ((schema: Schema) => Diagnostic[])[] = [
  checkName,
  checkDuplicateNames,
  checkLocalReferences,
  checkIndexColumns,
  checkPrimaryKey,
];

/** Runs every single-file check on a schema. */
export function localChecks(schema: Schema): Diagnostic[] {
  return LOCAL_CHECKS.flatMap((check) => check(schema));
}
