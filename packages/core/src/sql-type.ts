import { postgresType } from './sql/postgres-type.js';

/**
 * A SQL type in one canonical spelling, so `int` and `INTEGER`, `FLOAT` and `DOUBLE PRECISION`, `varchar( 255 )`
 * and `VARCHAR(255)` compare equal. The spelling is PostgreSQL's, the same one the generated DDL writes: type
 * identity is decided by `postgresType` alone, for the reference checks, the diff and the SQL alike.
 */
export interface NormalizedSqlType {
  /** Upper-case base name with aliases resolved (`INTEGER`, `NUMERIC`, `TIMESTAMPTZ`); `[]` appended for arrays. */
  base: string;
  /** Length, precision and scale (`DECIMAL(15,2)` → [15, 2]). */
  args: number[];
  /** The canonical text, as the DDL writes it: `VARCHAR(255)`, `NUMERIC(15,2)`, `TEXT[]`. */
  text: string;
}

/** Normalizes a SQL type as written in a schema file: `varchar( 255 )` → `{ base: 'VARCHAR', args: [255] }`. */
export function normalizeSqlType(type: string): NormalizedSqlType {
  const { base, args, array, text } = postgresType(type);
  return { base: base + '[]'.repeat(array), args: [...args], text };
}

// A serial column is an integer with a default; what references it holds a plain integer.
const KEY_EQUIVALENTS: Record<string, string> = { SERIAL: 'INTEGER', BIGSERIAL: 'BIGINT', SMALLSERIAL: 'SMALLINT' };

/** The type a foreign key must have to reference a column of this type (`SERIAL` → `INTEGER`). */
export function referencingType(type: string): string {
  const normalized = normalizeSqlType(type);
  const base = KEY_EQUIVALENTS[normalized.base];
  return base
    ? normalizeSqlType(base + (normalized.args.length ? `(${normalized.args.join(',')})` : '')).text
    : normalized.text;
}
