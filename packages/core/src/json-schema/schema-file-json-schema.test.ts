import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { jsonSchemaText, validatorsSource } from '../test-support/write-json-schema.js';
import { registryFileJsonSchema, schemaFileJsonSchema } from './schema-file-json-schema.js';

const shipped = (name: string): string => readFileSync(new URL(`../../schema/${name}`, import.meta.url), 'utf8');

describe('the shipped JSON Schema', () => {
  it('is exactly what the validator uses (regenerate with write-json-schema.ts)', () => {
    expect(shipped('schema-file.json')).toBe(jsonSchemaText(schemaFileJsonSchema));
    expect(shipped('registry-file.json')).toBe(jsonSchemaText(registryFileJsonSchema));
    expect(readFileSync(new URL('./generated-validators.ts', import.meta.url), 'utf8')).toBe(validatorsSource());
  });

  it('is a valid draft-07 schema with the rules SPEC §3 gives', () => {
    const ajv = new Ajv({ allowUnionTypes: true, strict: true });
    expect(ajv.validateSchema(JSON.parse(shipped('schema-file.json')) as object)).toBe(true);
    const validate = ajv.compile(schemaFileJsonSchema);
    const base = { name: 'users', owner: 'user-service', version: '1.0.0', columns: [{ name: 'id', type: 'UUID' }] };
    expect(validate(base)).toBe(true);
    expect(validate({ ...base, name: 'Users' })).toBe(false);
    expect(validate({ ...base, name: `a${'b'.repeat(63)}` })).toBe(false);
    expect(validate({ ...base, version: '1.0' })).toBe(false);
    expect(validate({ ...base, version: '2.1.0-rc.1+build.5' })).toBe(true);
    expect(validate({ ...base, extra: 1 })).toBe(false);
    expect(validate({ ...base, columns: [] })).toBe(false);
    const reference = { schema: 'users', column: 'id', foreign_key: 'user_id' };
    expect(validate({ ...base, references: [{ ...reference, on_delete: 'SET NULL' }] })).toBe(true);
    expect(validate({ ...base, references: [{ ...reference, on_delete: 'DELETE' }] })).toBe(false);
    for (const type of ['VARCHAR(255)', 'DECIMAL(15, 2)', 'TIMESTAMP WITH TIME ZONE', 'TEXT[]', 'double precision'])
      expect(validate({ ...base, columns: [{ name: 'c', type }] }), type).toBe(true);
    expect(validate({ ...base, columns: [{ name: 'c', type: 'VARCHAR(' }] })).toBe(false);
    expect(validate({ ...base, owner: ' ' })).toBe(false);
    const history = (date: string) => ({ ...base, version_history: [{ version: '1.0.0', date }] });
    expect(validate(history('2024-03-01'))).toBe(true);
    expect(validate(history('2024-13-01'))).toBe(false);
    expect(validate(history('March 1st'))).toBe(false);
  });
});
