/** A SQL type read from a schema file, normalised for comparison and for PostgreSQL. */
export interface PostgresType {
  /** PostgreSQL's name for the base type, upper case: `VARCHAR`, `NUMERIC`, `TIMESTAMP`. */
  base: string;
  /** The numeric arguments (`VARCHAR(255)` → [255], `DECIMAL(15,2)` → [15, 2]). */
  args: number[];
  /** Array dimension count (`TEXT[]` → 1). */
  array: number;
  /** The type as PostgreSQL DDL writes it: `VARCHAR(255)`, `NUMERIC(15,2)`, `TEXT[]`. */
  text: string;
}

/** Spellings other databases (and people) use, mapped to what PostgreSQL calls the same type. */
const ALIASES: Record<string, string> = {
  INT: 'INTEGER',
  INT4: 'INTEGER',
  INT8: 'BIGINT',
  INT2: 'SMALLINT',
  TINYINT: 'SMALLINT',
  DECIMAL: 'NUMERIC',
  DEC: 'NUMERIC',
  'CHARACTER VARYING': 'VARCHAR',
  CHARACTER: 'CHAR',
  BOOL: 'BOOLEAN',
  FLOAT: 'DOUBLE PRECISION',
  FLOAT8: 'DOUBLE PRECISION',
  DOUBLE: 'DOUBLE PRECISION',
  FLOAT4: 'REAL',
  DATETIME: 'TIMESTAMP',
  'TIMESTAMP WITHOUT TIME ZONE': 'TIMESTAMP',
  'TIMESTAMP WITH TIME ZONE': 'TIMESTAMPTZ',
  'TIME WITH TIME ZONE': 'TIMETZ',
  'TIME WITHOUT TIME ZONE': 'TIME',
  SERIAL4: 'SERIAL',
  SERIAL8: 'BIGSERIAL',
  SERIAL2: 'SMALLSERIAL',
};

/**
 * Reads a column type as written in a schema file (`varchar( 255 )`, `DECIMAL(15,2)`, `timestamp with time
 * zone`, `TEXT[]`) into PostgreSQL's spelling. Unknown types pass through upper-cased, so PostgreSQL itself
 * reports them when the DDL runs.
 */
export function postgresType(type: string): PostgresType {
  // Registries repeat a handful of spellings thousands of times; diffs ask for each several times.
  let known = CACHE.get(type);
  if (!known) {
    known = Object.freeze(parse(type)); // shared between callers: nobody may change it
    if (CACHE.size < 10_000) CACHE.set(type, known);
  }
  return known;
}

const CACHE = new Map<string, PostgresType>();

function parse(type: string): PostgresType {
  let rest = type.trim().replace(/\s+/g, ' ');
  let array = 0;
  while (/\[\s*\d*\s*\]$/.test(rest)) {
    rest = rest.replace(/\s*\[\s*\d*\s*\]$/, '');
    array += 1;
  }
  const match = /^([A-Za-z][A-Za-z0-9_ ]*?)\s*(?:\(([^)]*)\))?\s*(with(?:out)? time zone)?$/i.exec(rest);
  if (!match) return { base: rest.toUpperCase(), args: [], array, text: `${rest.toUpperCase()}${'[]'.repeat(array)}` };
  const written = [match[1] ?? '', match[3] ?? ''].filter(Boolean).join(' ').toUpperCase();
  const base = ALIASES[written] ?? written;
  const args = (match[2] ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '')
    .map(Number);
  const shown = args.length > 0 && args.every((n) => Number.isFinite(n)) ? `${base}(${args.join(',')})` : base;
  return { base, args, array, text: `${shown}${'[]'.repeat(array)}` };
}

/** Integer types from narrow to wide: a move to the right is a widening. */
const INTEGER_WIDTH = ['SMALLINT', 'INTEGER', 'BIGINT'];

/**
 * Whether every value of `from` fits `to` unchanged: VARCHAR(100)→VARCHAR(255), VARCHAR→TEXT,
 * INTEGER→BIGINT, NUMERIC(10,2)→NUMERIC(15,2). Anything else (narrowing or a different kind) does not.
 */
export function isWidening(from: PostgresType, to: PostgresType): boolean {
  if (from.array !== to.array) return false;
  if (from.text === to.text) return true;
  const [fromN, toN] = [from.args[0], to.args[0]];
  if (from.base === to.base && (from.base === 'VARCHAR' || from.base === 'CHAR' || from.base === 'BIT VARYING')) {
    return to.args.length === 0 || (fromN !== undefined && toN !== undefined && toN >= fromN);
  }
  if ((from.base === 'VARCHAR' || from.base === 'CHAR') && to.base === 'TEXT') return true;
  if (from.base === 'NUMERIC' && to.base === 'NUMERIC') return numericWidens(from.args, to.args);
  const fi = INTEGER_WIDTH.indexOf(from.base);
  const ti = INTEGER_WIDTH.indexOf(to.base);
  if (fi >= 0 && ti >= 0) return ti >= fi;
  if (fi >= 0 && to.base === 'NUMERIC') return to.args.length === 0;
  if (from.base === 'REAL' && to.base === 'DOUBLE PRECISION') return true;
  return false;
}

function numericWidens(from: number[], to: number[]): boolean {
  if (to.length === 0) return true; // unconstrained NUMERIC holds any value
  if (from.length === 0) return false;
  const [fp = 0, fs = 0] = from;
  const [tp = 0, ts = 0] = to;
  return ts >= fs && tp - ts >= fp - fs;
}

const STRINGS = ['VARCHAR', 'CHAR', 'TEXT'];
const NUMBERS = [...INTEGER_WIDTH, 'NUMERIC', 'REAL', 'DOUBLE PRECISION'];
const MOMENTS = ['DATE', 'TIMESTAMP', 'TIMESTAMPTZ'];
const within = (family: string[], ...types: PostgresType[]): boolean => types.every((t) => family.includes(t.base));

/**
 * Whether PostgreSQL converts `from` to `to` by itself (an assignment cast), so `ALTER COLUMN … TYPE` needs no
 * `USING`. The assignment form refuses a value that does not fit (`value too long`, `out of range`) where an
 * explicit `::` cast would cut it silently: every string target, the numbers among themselves, the dates.
 */
export function isAssignable(from: PostgresType, to: PostgresType): boolean {
  if (from.array !== to.array) return false;
  if (from.base === to.base || within(STRINGS, to)) return true;
  return within(NUMBERS, from, to) || within(MOMENTS, from, to);
}

/**
 * Whether the assignment from `from` to `to` can change a value without failing: a number or a time rounded to
 * fewer digits (NUMERIC(10,2) → NUMERIC(10,1), NUMERIC → INTEGER, DOUBLE PRECISION → REAL, TIMESTAMP(6) → (0)).
 * Such a change needs a guard that refuses it while a value would change.
 */
export function mayRound(from: PostgresType, to: PostgresType): boolean {
  if (isWidening(from, to) || !isAssignable(from, to) || within(STRINGS, to)) return false;
  return within(NUMBERS, from, to) || within(MOMENTS, from, to);
}
