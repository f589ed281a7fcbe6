/**
 * The parts of a PostgreSQL schema a registry decides, in a form that compares and stores as JSON: every
 * value is PostgreSQL's own rendering (`format_type`, `pg_get_constraintdef`, `pg_get_indexdef`), so two
 * databases built by different statements compare equal exactly when the server sees the same thing.
 */
export interface Catalog {
  /** Table names, sorted. */
  tables: string[];
  /** `table.column` → `type [NOT NULL] [DEFAULT expr] [IDENTITY]`. */
  columns: Record<string, string>;
  /** `table.constraint` → its definition (`PRIMARY KEY (id)`, `FOREIGN KEY … REFERENCES …`), `NOT VALID` kept. */
  constraints: Record<string, string>;
  /** `table.index` → `CREATE [UNIQUE] INDEX … ON table USING …`, `(invalid)` when a concurrent build failed. */
  indexes: Record<string, string>;
}

/** The catalog without the tables `skip` matches (their columns, constraints and indexes too). */
export function withoutTables(catalog: Catalog, skip: (table: string) => boolean): Catalog {
  const keep = (map: Record<string, string>): Record<string, string> =>
    Object.fromEntries(Object.entries(map).filter(([key]) => !skip(key.slice(0, key.indexOf('.')))));
  return {
    tables: catalog.tables.filter((t) => !skip(t)),
    columns: keep(catalog.columns),
    constraints: keep(catalog.constraints),
    indexes: keep(catalog.indexes),
  };
}

/** A catalog with nothing in it: a database before the first migration. */
export const EMPTY_CATALOG: Catalog = Object.freeze({ tables: [], columns: {}, constraints: {}, indexes: {} });

/** One way the live catalog differs from the expected one. */
export interface CatalogDifference {
  kind: 'table' | 'column' | 'constraint' | 'index';
  /** `users`, `users.email`, `users.users_pkey`. */
  name: string;
  /** What the expected catalog holds (absent: the object should not exist). */
  expected?: string;
  /** What the database holds (absent: the object is missing). */
  actual?: string;
}

/** The table part of `table.thing`. */
const tableOf = (key: string): string => key.slice(0, key.indexOf('.'));

function compareMaps(
  kind: CatalogDifference['kind'],
  expected: Record<string, string>,
  actual: Record<string, string>,
  skip: ReadonlySet<string>,
): CatalogDifference[] {
  const out: CatalogDifference[] = [];
  for (const name of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    if (skip.has(tableOf(name))) continue;
    const e = expected[name];
    const a = actual[name];
    if (e === a) continue;
    out.push({ kind, name, ...(e === undefined ? {} : { expected: e }), ...(a === undefined ? {} : { actual: a }) });
  }
  return out;
}

/**
 * Every difference between two catalogs, sorted by name. A table missing or extra on one side is one
 * difference; its columns, constraints and indexes are not listed again.
 */
export function compareCatalogs(expected: Catalog, actual: Catalog): CatalogDifference[] {
  const e = new Set(expected.tables);
  const a = new Set(actual.tables);
  const tables: CatalogDifference[] = [];
  for (const t of e) if (!a.has(t)) tables.push({ kind: 'table', name: t, expected: 'table' });
  for (const t of a) if (!e.has(t)) tables.push({ kind: 'table', name: t, actual: 'table' });
  const skip = new Set(tables.map((d) => d.name));
  const rest = [
    ...compareMaps('column', expected.columns, actual.columns, skip),
    ...compareMaps('constraint', expected.constraints, actual.constraints, skip),
    ...compareMaps('index', expected.indexes, actual.indexes, skip),
  ];
  const byName = (x: CatalogDifference, y: CatalogDifference): number =>
    x.name < y.name ? -1 : x.name > y.name ? 1 : 0;
  return [...tables.sort(byName), ...rest.sort(byName)];
}

/** `+ column users.age integer (not expected)`, `- table orders (missing)`, `~ column users.email: expected …, found …`. */
export function formatDifference(d: CatalogDifference): string {
  if (d.expected === undefined)
    return `+ ${d.kind} ${d.name}${d.kind === 'table' ? '' : ` ${d.actual ?? ''}`} (not expected)`;
  if (d.actual === undefined) return `- ${d.kind} ${d.name}${d.kind === 'table' ? '' : ` ${d.expected}`} (missing)`;
  return `~ ${d.kind} ${d.name}: expected ${d.expected}, found ${d.actual}`;
}
