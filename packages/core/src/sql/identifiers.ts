/** Words PostgreSQL reserves: a table or column with such a name must be quoted. */
const RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation column ' +
    'concurrently constraint create cross current_catalog current_date current_role current_schema current_time ' +
    'current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign freeze ' +
    'from full grant group having ilike in initially inner intersect into is isnull join lateral leading left like limit ' +
    'localtime localtimestamp natural not notnull null offset on only or order outer overlaps placing primary references ' +
    'returning right select session_user similar some symmetric system_user table tablesample then to trailing true union ' +
    'unique user using variadic verbose when where window with'
  ).split(' '),
);

/** Quotes an identifier only when PostgreSQL needs it (reserved word, capitals, unusual characters). */
export function ident(name: string): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** PostgreSQL cuts identifiers at 63 bytes; long generated names keep a hash suffix so they stay distinct. */
export function constraintName(...parts: string[]): string {
  const name = parts.join('_');
  if (Buffer.byteLength(name) <= 63) return name;
  let hash = 0;
  for (const char of name) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
  return `${name.slice(0, 54)}_${hash.toString(16).padStart(8, '0')}`;
}

/** The primary key constraint of a table (PostgreSQL's own default name). */
export const primaryKeyName = (table: string): string => constraintName(table, 'pkey');
/** The unique constraint of a `unique: true` column. */
export const uniqueName = (table: string, column: string): string => constraintName(table, column, 'key');
/** The temporary check used to add NOT NULL without a long lock. */
export const notNullCheckName = (table: string, column: string): string => constraintName(table, column, 'not_null');

/** The foreign-key constraint of a reference; `ordinal` > 1 for a second reference on the same column. */
export function foreignKeyName(table: string, column: string, ordinal = 1): string {
  return ordinal > 1 ? constraintName(table, column, `fkey${ordinal}`) : constraintName(table, column, 'fkey');
}
