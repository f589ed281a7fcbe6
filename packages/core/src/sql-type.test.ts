import { describe, expect, it } from 'vitest';
import { normalizeSqlType, referencingType } from './sql-type.js';

describe('normalizeSqlType', () => {
  it('canonicalises case, spacing, aliases and arguments', () => {
    expect(normalizeSqlType('varchar( 255 )')).toEqual({ base: 'VARCHAR', args: [255], text: 'VARCHAR(255)' });
    expect(normalizeSqlType('DECIMAL(15, 2)')).toEqual({ base: 'DECIMAL', args: [15, 2], text: 'DECIMAL(15,2)' });
    expect(normalizeSqlType('numeric(15,2)').text).toBe('DECIMAL(15,2)');
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
    expect(referencingType('VARCHAR(36)')).toBe('VARCHAR(36)');
  });
});
