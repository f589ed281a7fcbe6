import type { ErrorObject } from 'ajv';
import { registryFile, schemaFile } from './generated-validators.js';

/** A validator as ajv builds it: true or false, with the errors of the last call on `errors`. */
export interface Validator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

interface Validators {
  schemaFile: Validator;
  registryFile: Validator;
}

/**
 * The two validators, compiled ahead of time by ajv (standalone code in generated-validators.ts, written
 * from schema-file-json-schema.ts), so start-up pays for neither importing ajv nor compiling a schema.
 */
export function compiledValidators(): Validators {
  return { schemaFile: schemaFile as Validator, registryFile: registryFile as Validator };
}
