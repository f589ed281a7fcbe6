import { describe, expect, it } from 'vitest';
import { memoryFileSource } from './file-source.js';
import { loadRegistry } from './load/load-registry.js';
import { diffRegistries } from './diff/diff-registries.js';
import { createPlan } from './sql/create-plan.js';
import { normalizeSqlType, referencingType } from './sql-type.js';
import { validateRegistry } from './validate/validate-registry.js';

describe('normalizeSqlType', () => {
  it('canonicalises case, spacing, aliases and arguments into the spelling the DDL writes', () => {
    expect(normalizeSqlType('varchar( 255 )')).toEqual({ base: 'VARCHAR', args: [255], text: 'VARCHAR(255)' });
    expect(normalizeSqlType('DECIMAL(15, 2)')).toEqual({ base: 'NUMERIC', args: [15, 2], text: 'NUMERIC(15,2)' });
    expect(normalizeSqlType('numeric(15,2)').text).toBe('NUMERIC(15,2)');
    expect(normalizeSqlType('int').text).toBe('INTEGER');
    expect(normalizeSqlType('bool').text).toBe('BOOLEAN');
    expect(normalizeSqlType('character varying(20)').text).toBe('VARCHAR(20)');
    expect(normalizeSqlType('timestamp with time zone').text).toBe('TIMESTAMPTZ');
    expect(normalizeSqlType('TIMESTAMP(3) WITH TIME ZONE')).toEqual({
      base: 'TIMESTAMPTZ',
      args: [3],
      text: 'TIMESTAMPTZ(3)',
    });
    expect(normalizeSqlType('text[]')).toEqual({ base: 'TEXT[]', args: [], text: 'TEXT[]' });
    expect(normalizeSqlType('  uuid ')).toEqual({ base: 'UUID', args: [], text: 'UUID' });
    expect(normalizeSqlType('not ( a type').text).toBe('NOT ( A TYPE');
  });

  it('gives the type a foreign key must have: serials are referenced by plain integers', () => {
    expect(referencingType('SERIAL')).toBe('INTEGER');
    expect(referencingType('bigserial')).toBe('BIGINT');
    expect(referencingType('serial2')).toBe('SMALLINT');
    expect(referencingType('VARCHAR(36)')).toBe('VARCHAR(36)');
  });
});

// Each pair is one type under two spellings: the DDL writes both the same, so nothing may call them different.
const SAME_TYPE: [string, string][] = [
  ['FLOAT', 'DOUBLE PRECISION'],
  ['DATETIME', 'TIMESTAMP'],
  ['TINYINT', 'SMALLINT'],
  ['DEC(10,2)', 'NUMERIC(10,2)'],
  ['DECIMAL(10,2)', 'NUMERIC(10,2)'],
  ['float8', 'double'],
];

const schema = (name: string, key: string, extra = ''): string =>
  `name: ${name}\nowner: s\nversion: 1.0.0\ncolumns:\n  - { name: id, type: "${key}", nullable: false, primary_key: true }\n${extra}`;

const load = (files: Record<string, string>) =>
  loadRegistry(memoryFileSource(Object.fromEntries(Object.entries(files).map(([n, t]) => [`s/${n}.yaml`, t]))));

describe('one type identity for references, diff and DDL', () => {
  it.each(SAME_TYPE)('%s and %s: no fk-type-mismatch, no diff, one DDL spelling', async (a, b) => {
    const child = (fk: string): string =>
      schema('child', 'INTEGER', `  - { name: parent_id, type: "${fk}", nullable: true }\n`) +
      'references:\n  - { schema: parent, column: id, foreign_key: parent_id }\n';
    const registry = await load({ parent: schema('parent', b), child: child(a) });
    const codes = [...validateRegistry(registry).values()].flat().map((d) => d.code);
    expect(codes).not.toContain('fk-type-mismatch');
    const ddl = createPlan(registry).map((s) => s.sql);
    const written = normalizeSqlType(b).text;
    expect(ddl.find((sql) => sql.startsWith('CREATE TABLE parent'))).toContain(`id ${written} NOT NULL`);
    expect(ddl.find((sql) => sql.startsWith('CREATE TABLE child'))).toContain(`parent_id ${written}`);
    const other = await load({ parent: schema('parent', a), child: child(b) });
    expect(diffRegistries(registry, other).changes).toEqual([]);
  });

  it('still reports a real mismatch', async () => {
    const registry = await load({
      parent: schema('parent', 'DOUBLE PRECISION'),
      child:
        schema('child', 'INTEGER', '  - { name: parent_id, type: REAL, nullable: true }\n') +
        'references:\n  - { schema: parent, column: id, foreign_key: parent_id }\n',
    });
    const mismatch = [...validateRegistry(registry).values()].flat().find((d) => d.code === 'fk-type-mismatch');
    expect(mismatch?.message).toBe('foreign_key "parent_id" is REAL but parent.id is DOUBLE PRECISION');
  });
});
