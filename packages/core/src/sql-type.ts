/** A SQL type in one canonical spelling, so `int` and `INTEGER`, `varchar( 255 )` and `VARCHAR(255)` compare equal. */
export interface NormalizedSqlType {
  /** Upper-case base name with aliases resolved (`INTEGER`, `TIMESTAMPTZ`); `[]` appended for arrays. */
  base: string;
  /** Length, precision and scale (`DECIMAL(15,2)` → [15, 2]). */
  args: number[];
  /** The canonical text: base, then `(args)` when there are any, e.g. `VARCHAR(255)`, `TEXT[]`. */
  text: string;
}

// Spellings PostgreSQL treats as the same type.
const ALIASES: Record<string, string> = {
  INT: 'INTEGER',
  INT4: 'INTEGER',
  INT8: 'BIGINT',
  INT2: 'SMALLINT',
  BOOL: 'BOOLEAN',
  'CHARACTER VARYING': 'VARCHAR',
  CHARACTER: 'CHAR',
  NUMERIC: 'DECIMAL',
  FLOAT8: 'DOUBLE PRECISION',
  FLOAT4: 'REAL',
  'TIMESTAMP WITHOUT TIME ZONE': 'TIMESTAMP',
  'TIMESTAMP WITH TIME ZONE': 'TIMESTAMPTZ',
  'TIME WITHOUT TIME ZONE': 'TIME',
  'TIME WITH TIME ZONE': 'TIMETZ',
  SERIAL4: 'SERIAL',
  SERIAL8: 'BIGSERIAL',
};

const SHAPE = /^([A-Z][A-Z0-9_]*(?: [A-Z][A-Z0-9_]*)*) ?(?:\(([\d ,]*)\))? ?([A-Z][A-Z0-9_ ]*?)? ?(\[\])?$/;

/** Normalizes a SQL type as written in a schema file: `varchar( 255 )` → `{ base: 'VARCHAR', args: [255] }`. */
export function normalizeSqlType(type: string): NormalizedSqlType {
  const cleaned = type.trim().toUpperCase().replace(/\s+/g, ' ');
  const match = SHAPE.exec(cleaned);
  if (!match) return { base: cleaned, args: [], text: cleaned };
  const [, name = '', rawArgs, suffix, array] = match;
  const words = suffix ? `${name} ${suffix.trim()}` : name;
  const base = (ALIASES[words] ?? words) + (array ?? '');
  const args =
    rawArgs === undefined || rawArgs.trim() === '' ? [] : rawArgs.split(',').map((arg) => Number(arg.trim()));
  const text = args.length > 0 ? `${ALIASES[words] ?? words}(${args.join(',')})${array ?? ''}` : base;
  return { base, args, text };
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
