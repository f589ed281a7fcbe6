import type { Random } from '../../helpers/random.js';
import {
  fresh,
  keyType,
  randomColumn,
  randomTable,
  TYPES,
  type ColumnModel,
  type RegistryModel,
  type TableModel,
} from './registry-model.js';

/** One change to the head registry; returns a label, or undefined when it does not apply to this registry. */
type Mutation = (random: Random, head: RegistryModel, base: RegistryModel) => string | undefined;

/** Type changes a team makes: widenings, narrowings, and a few changes of kind. */
const RETYPES: Record<string, string[]> = {
  INTEGER: ['BIGINT', 'SMALLINT', 'NUMERIC(10,2)', 'TEXT'],
  BIGINT: ['INTEGER', 'NUMERIC(10,2)'],
  SMALLINT: ['INTEGER', 'BIGINT'],
  'NUMERIC(10,2)': ['NUMERIC(12,2)', 'NUMERIC(10,1)', 'INTEGER'],
  'NUMERIC(12,2)': ['NUMERIC(10,2)'],
  'NUMERIC(10,1)': ['NUMERIC(10,2)'],
  TEXT: ['VARCHAR(10)', 'VARCHAR(40)'],
  'VARCHAR(10)': ['VARCHAR(40)', 'TEXT'],
  'VARCHAR(40)': ['VARCHAR(10)', 'TEXT'],
  DATE: ['TIMESTAMP'],
  TIMESTAMP: ['DATE'],
};

const inBase = (base: RegistryModel, table: TableModel, column?: string): boolean => {
  const name = table.renamedFrom ?? table.name;
  const old = base.tables.find((t) => t.name === name);
  return old !== undefined && (column === undefined || old.columns.some((c) => c.name === column));
};
const plain = (t: TableModel): ColumnModel[] => t.columns.filter((c) => !c.primaryKey);
const referenced = (head: RegistryModel, t: TableModel, c: string): boolean =>
  t.refs.some((r) => r.column === c) || t.indexes.some((i) => i.columns.includes(c));
const someColumn = (random: Random, t: TableModel): ColumnModel | undefined => {
  const list = plain(t);
  return list.length ? random.pick(list) : undefined;
};
const defaultFor = (type: string): string => TYPES[type] ?? TYPES[type.replace(/\(.*\)/, '(10,2)')] ?? "'x'";

const MUTATIONS: Record<string, Mutation> = {
  'add column': (random, head) => {
    const t = random.pick(head.tables);
    const column = randomColumn(random, fresh(head, 'c'));
    if (!column.nullable && random.chance(0.7)) column.default ??= TYPES[column.type];
    t.columns.push(column);
    return `add ${t.name}.${column.name} ${column.type}${column.nullable ? '' : ' NOT NULL'}`;
  },
  'drop column': (random, head) => {
    const t = random.pick(head.tables);
    const c = someColumn(random, t);
    if (!c) return undefined;
    t.columns = t.columns.filter((x) => x !== c);
    t.refs = t.refs.filter((r) => r.column !== c.name);
    t.indexes = t.indexes.filter((i) => !i.columns.includes(c.name));
    return `drop ${t.name}.${c.name}`;
  },
  'rename column': (random, head, base) => {
    const t = random.pick(head.tables);
    const c = someColumn(random, t);
    if (!c || c.renamedFrom || !inBase(base, t, c.name)) return undefined;
    const name = fresh(head, 'r');
    for (const r of t.refs) if (r.column === c.name) r.column = name;
    for (const i of t.indexes) i.columns = i.columns.map((x) => (x === c.name ? name : x));
    [c.renamedFrom, c.name] = [c.name, name];
    return `rename ${t.name}.${c.renamedFrom} → ${name}`;
  },
  'change type': (random, head) => {
    const t = random.pick(head.tables);
    const c = someColumn(random, t);
    const options = c && !t.refs.some((r) => r.column === c.name) ? RETYPES[c.type] : undefined;
    if (!c || !options) return undefined;
    const from = c.type;
    c.type = random.pick(options);
    if (c.default !== undefined) c.default = defaultFor(c.type);
    return `retype ${t.name}.${c.name} ${from} → ${c.type}`;
  },
  'change key type': (random, head) => {
    const t = random.pick(head.tables);
    const key = t.columns.find((c) => c.primaryKey);
    if (!key || key.type === 'UUID') return undefined;
    const to = key.type === 'INTEGER' ? 'BIGINT' : 'INTEGER';
    key.type = to;
    for (const other of head.tables)
      for (const r of other.refs) {
        const column = r.target === t.name ? other.columns.find((c) => c.name === r.column) : undefined;
        if (column) column.type = to;
      }
    return `retype key ${t.name}.id → ${to} with its foreign keys`;
  },
  nullability: (random, head) => {
    const t = random.pick(head.tables);
    const c = someColumn(random, t);
    if (!c) return undefined;
    c.nullable = !c.nullable;
    if (!c.nullable && random.chance(0.6)) c.default ??= defaultFor(c.type);
    return `${t.name}.${c.name} ${c.nullable ? 'nullable' : 'NOT NULL'}${c.default ? ' with default' : ''}`;
  },
  default: (random, head) => {
    const t = random.pick(head.tables);
    const c = someColumn(random, t);
    if (!c) return undefined;
    if (c.default === undefined) c.default = defaultFor(c.type);
    else delete c.default;
    return `${t.name}.${c.name} default ${c.default ?? 'dropped'}`;
  },
  unique: (random, head) => {
    const t = random.pick(head.tables);
    const c = someColumn(random, t);
    if (!c || c.type === 'BOOLEAN') return undefined;
    c.unique = !c.unique;
    return `${t.name}.${c.name} unique ${c.unique}`;
  },
  ...INDEX_AND_TABLE_MUTATIONS(),
};

function INDEX_AND_TABLE_MUTATIONS(): Record<string, Mutation> {
  return {
    'add index': (random, head) => {
      const t = random.pick(head.tables);
      const c = someColumn(random, t);
      if (!c) return undefined;
      const unique = random.chance(0.3) && c.type !== 'BOOLEAN';
      t.indexes.push({ name: fresh(head, 'idx_'), columns: [c.name], unique });
      return `index on ${t.name}.${c.name}${unique ? ' unique' : ''}`;
    },
    'drop index': (random, head) => {
      const indexed = head.tables.filter((x) => x.indexes.length > 0);
      const t = indexed.length > 0 ? random.pick(indexed) : undefined;
      const i = t?.indexes[0];
      if (!t || !i) return undefined;
      t.indexes = t.indexes.slice(1);
      return `drop index ${i.name}`;
    },
    'change index': (random, head) => {
      const t = random.pick(head.tables);
      const i = t.indexes[0];
      const c = someColumn(random, t);
      if (!i || !c) return undefined;
      if (random.chance(0.5) && !i.columns.includes(c.name)) i.columns = [...i.columns, c.name];
      else i.unique = !i.unique;
      return `change index ${i.name}`;
    },
    'add table': (random, head) => {
      const t = randomTable(random, head);
      head.tables.push(t);
      return `add table ${t.name}`;
    },
    'drop table': (random, head) => {
      if (head.tables.length < 2) return undefined;
      const t = random.pick(head.tables);
      head.tables = head.tables.filter((x) => x !== t);
      for (const other of head.tables) other.refs = other.refs.filter((r) => r.target !== t.name);
      return `drop table ${t.name}`;
    },
    'rename table': (random, head, base) => {
      const t = random.pick(head.tables);
      if (t.renamedFrom || !inBase(base, t)) return undefined;
      const name = fresh(head, 'n');
      for (const other of head.tables) for (const r of other.refs) if (r.target === t.name) r.target = name;
      [t.renamedFrom, t.name] = [t.name, name];
      return `rename table ${t.renamedFrom} → ${name}`;
    },
    'add reference': (random, head) => {
      const [t, target] = [random.pick(head.tables), random.pick(head.tables)];
      const existing = plain(t).find((c) => c.type === keyType(target) && !referenced(head, t, c.name));
      const column = existing && random.chance(0.5) ? existing.name : fresh(head, `${target.name}_id`);
      if (column !== existing?.name) t.columns.push({ name: column, type: keyType(target), nullable: true });
      const c = t.columns.find((x) => x.name === column);
      if (c && !c.nullable) return undefined;
      t.refs.push({ column, target: target.name });
      return `reference ${t.name}.${column} → ${target.name}`;
    },
    'drop reference': (random, head) => {
      const t = random.pick(head.tables);
      const r = t.refs[0];
      if (!r) return undefined;
      t.refs = t.refs.slice(1);
      return `drop reference ${t.name}.${r.column}`;
    },
  };
}

/** Applies one random mutation that fits the registry (a few tries); returns its label. */
export function mutate(random: Random, head: RegistryModel, base: RegistryModel): string | undefined {
  const names = Object.keys(MUTATIONS);
  for (let attempt = 0; attempt < 8; attempt++) {
    const mutation = MUTATIONS[random.pick(names)];
    const label = mutation?.(random, head, base);
    if (label !== undefined) return label;
  }
  return undefined;
}
