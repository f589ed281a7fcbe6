import type { SqlClient } from '../migrate-db.js';
import type { Random } from '../../helpers/random.js';
import { keyType, type ColumnModel, type RegistryModel, type TableModel } from './registry-model.js';

const WORDS = ['alpha', 'beta', 'gamma', 'a.very.long.address@example.com', '7', '42', 'x'];
const uuid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** A value of a column's type as an SQL literal (or NULL), `n` keeping unique columns unique. */
function value(random: Random, column: ColumnModel, n: number): string {
  if (column.nullable && random.chance(0.25)) return 'NULL';
  const type = column.type;
  const tag = column.unique ? n : random.int(0, 3);
  if (['INTEGER', 'BIGINT', 'SMALLINT'].includes(type)) return String(column.unique ? n : random.int(-50, 50));
  if (type.startsWith('NUMERIC')) return `${tag}.${random.pick(['00', '50', '25'])}`;
  if (type === 'BOOLEAN') return random.pick(['true', 'false']);
  if (type === 'DATE') return `'2024-01-${String(1 + (tag % 28)).padStart(2, '0')}'`;
  if (type === 'TIMESTAMP') return `'2024-01-01 10:${String(tag % 60).padStart(2, '0')}:00'`;
  if (type === 'UUID') return `'${uuid(1000 + n)}'`;
  const word = random.pick(WORDS);
  const text = column.unique ? `${n}${word}` : word;
  const limit = /VARCHAR\((\d+)\)/.exec(type)?.[1];
  return `'${limit ? text.slice(0, Number(limit)) : text}'`;
}

const keyValue = (table: TableModel, n: number): string => (keyType(table) === 'UUID' ? `'${uuid(n)}'` : String(n));

/** Inserts a few rows in every table, parents first: foreign keys point at existing rows (or are NULL). */
export async function insertRows(
  client: SqlClient,
  random: Random,
  model: RegistryModel,
  order: string[],
): Promise<void> {
  const rows = 4;
  for (const name of order) {
    const table = model.tables.find((t) => t.name === name);
    if (!table) continue;
    for (let n = 1; n <= rows; n++) {
      const values = table.columns.map((c) => {
        if (c.primaryKey) return keyValue(table, n);
        const ref = table.refs.find((r) => r.column === c.name);
        const target = ref && model.tables.find((t) => t.name === ref.target);
        if (target)
          return random.chance(0.3) || (target === table && n === 1)
            ? 'NULL'
            : keyValue(target, random.int(1, target === table ? n - 1 : rows));
        const unique = c.unique || table.indexes.some((i) => i.unique && i.columns.includes(c.name));
        return value(random, { ...c, unique }, n);
      });
      await client.query(
        `INSERT INTO "${name}" (${table.columns.map((c) => `"${c.name}"`).join(', ')}) VALUES (${values.join(', ')})`,
      );
    }
  }
}

/** Every row of every table as text by column, keyed by `id`: table → id → column → text (null for NULL). */
export type Snapshot = Map<string, Map<string, Map<string, string | null>>>;

export async function snapshot(client: SqlClient, model: RegistryModel): Promise<Snapshot> {
  const result: Snapshot = new Map();
  for (const table of model.tables) {
    const columns = table.columns.map((c) => `"${c.name}"::text AS "${c.name}"`).join(', ');
    const { rows } = await client.query<Record<string, string | null>>(`SELECT ${columns} FROM "${table.name}"`);
    result.set(table.name, new Map(rows.map((r) => [String(r.id), new Map(Object.entries(r))])));
  }
  return result;
}

/** Two renderings of one value: numbers compare as numbers (1.50 = 1.5), dates by their day when one lost the time. */
export function sameValue(a: string | null, b: string | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(Number(a)) && Number.isFinite(Number(b)))
    return Number(a) === Number(b);
  return (
    /^\d{4}-\d\d-\d\d/.test(a) &&
    a.slice(0, 10) === b.slice(0, 10) &&
    (a.length === 10 || b.length === 10) &&
    /00:00:00$/.test(a.length === 10 ? b : a)
  );
}
