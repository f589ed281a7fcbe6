import { describe, expect, it } from 'vitest';
import { compareCatalogs, EMPTY_CATALOG, formatDifference, withoutTables, type Catalog } from './catalog.js';
import { tableMatcher } from './read-catalog.js';

const catalog = (
  tables: string[],
  columns: Record<string, string> = {},
  indexes: Record<string, string> = {},
): Catalog => ({ tables, columns, constraints: {}, indexes });

describe('compareCatalogs', () => {
  it('finds nothing between equal catalogs', () => {
    const c = catalog(['users'], { 'users.id': 'uuid NOT NULL' });
    expect(compareCatalogs(c, structuredClone(c))).toEqual([]);
  });

  it('names a missing or extra table once, not each of its columns', () => {
    const expected = catalog(['orders', 'users'], { 'orders.id': 'bigint NOT NULL', 'users.id': 'uuid NOT NULL' });
    const actual = catalog(['users', 'tmp'], { 'users.id': 'uuid NOT NULL', 'tmp.x': 'integer' });
    expect(compareCatalogs(expected, actual)).toEqual([
      { kind: 'table', name: 'orders', expected: 'table' },
      { kind: 'table', name: 'tmp', actual: 'table' },
    ]);
  });

  it('lists added, missing and changed columns and indexes, sorted by name', () => {
    const expected = catalog(
      ['users'],
      { 'users.email': 'character varying(255) NOT NULL', 'users.id': 'uuid NOT NULL' },
      { 'users.idx_email': 'CREATE INDEX idx_email ON users USING btree (email)' },
    );
    const actual = catalog(
      ['users'],
      { 'users.email': 'text NOT NULL', 'users.hack': 'integer', 'users.id': 'uuid NOT NULL' },
      {},
    );
    const differences = compareCatalogs(expected, actual);
    expect(differences.map(formatDifference)).toEqual([
      '~ column users.email: expected character varying(255) NOT NULL, found text NOT NULL',
      '+ column users.hack integer (not expected)',
      '- index users.idx_email CREATE INDEX idx_email ON users USING btree (email) (missing)',
    ]);
  });

  it('an empty expectation makes every table drift', () => {
    expect(compareCatalogs(EMPTY_CATALOG, catalog(['legacy'])).map(formatDifference)).toEqual([
      '+ table legacy (not expected)',
    ]);
  });
});

describe('tableMatcher and withoutTables', () => {
  it('matches names and * patterns, and drops a table with everything on it', () => {
    const skip = tableMatcher(['aegis_migrations', 'legacy_*']);
    expect(['aegis_migrations', 'legacy_users', 'legacy_', 'users', 'my_legacy_x'].filter(skip)).toEqual([
      'aegis_migrations',
      'legacy_users',
      'legacy_',
    ]);
    const c: Catalog = {
      tables: ['legacy_a', 'users'],
      columns: { 'legacy_a.id': 'int', 'users.id': 'uuid' },
      constraints: { 'legacy_a.legacy_a_pkey': 'PRIMARY KEY (id)' },
      indexes: {},
    };
    expect(withoutTables(c, skip)).toEqual({
      tables: ['users'],
      columns: { 'users.id': 'uuid' },
      constraints: {},
      indexes: {},
    });
  });
});
