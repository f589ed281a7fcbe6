// Writes packages/core/schema/*.json from the TypeScript source of the JSON Schemas.
// Run after changing src/json-schema/schema-file-json-schema.ts: npx tsx packages/core/src/test-support/write-json-schema.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { registryFileJsonSchema, schemaFileJsonSchema } from '../json-schema/schema-file-json-schema.js';

/** The shipped JSON text of a schema: two-space indented, newline at the end. */
export function jsonSchemaText(schema: object): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = fileURLToPath(new URL('../../schema/', import.meta.url));
  writeFileSync(`${dir}schema-file.json`, jsonSchemaText(schemaFileJsonSchema));
  writeFileSync(`${dir}registry-file.json`, jsonSchemaText(registryFileJsonSchema));
}
