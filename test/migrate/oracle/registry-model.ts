import type { Random } from '../../helpers/random.js';

/** One column of a generated table. */
export interface ColumnModel {
  name: string;
  type: string;
  nullable: boolean;
  primaryKey?: boolean;
  unique?: boolean;
  default?: string;
  renamedFrom?: string;
}
/** A foreign key to another table's `id`. */
export interface RefModel {
  column: string;
  target: string;
  onDelete?: 'CASCADE' | 'SET NULL' | 'RESTRICT';
}
export interface IndexModel {
  name: string;
  columns: string[];
  unique: boolean;
}
export interface TableModel {
  name: string;
  version: string;
  columns: ColumnModel[];
  refs: RefModel[];
  indexes: IndexModel[];
  renamedFrom?: string;
}
/** A registry being generated: tables by name, and a counter for fresh names. */
export interface RegistryModel {
  tables: TableModel[];
  counter: number;
}

/** Column types the generator uses, with a constant default PostgreSQL accepts for each. */
export const TYPES: Record<string, string> = {
  INTEGER: '0',
  BIGINT: '0',
  SMALLINT: '0',
  'NUMERIC(10,2)': '0',
  TEXT: "'x'",
  'VARCHAR(10)': "'x'",
  'VARCHAR(40)': "'x'",
  BOOLEAN: 'false',
  DATE: 'CURRENT_DATE',
  TIMESTAMP: 'CURRENT_TIMESTAMP',
  UUID: 'gen_random_uuid()',
};
export const KEY_TYPES = ['INTEGER', 'BIGINT', 'UUID'];

export const fresh = (model: RegistryModel, prefix: string): string => `${prefix}${++model.counter}`;
export const clone = (model: RegistryModel): RegistryModel => structuredClone(model);
export const keyType = (table: TableModel): string => table.columns.find((c) => c.primaryKey)?.type ?? 'INTEGER';
export const tableNamed = (model: RegistryModel, name: string): TableModel | undefined =>
  model.tables.find((t) => t.name === name);

/** A column with a random type, nullability, default and uniqueness. */
export function randomColumn(random: Random, name: string): ColumnModel {
  const type = random.pick(Object.keys(TYPES));
  const column: ColumnModel = { name, type, nullable: random.chance(0.6) };
  if (random.chance(0.3) || !column.nullable) column.default = TYPES[type];
  if (random.chance(0.1) && type !== 'BOOLEAN') column.unique = true;
  return column;
}

/** A new table: an `id` key, a few columns, maybe a foreign key to an existing table (or itself). */
export function randomTable(random: Random, model: RegistryModel): TableModel {
  const name = fresh(model, 't');
  const table: TableModel = {
    name,
    version: '1.0.0',
    columns: [{ name: 'id', type: random.pick(KEY_TYPES), nullable: false, primaryKey: true }],
    refs: [],
    indexes: [],
  };
  for (let i = random.int(1, 4); i > 0; i--) table.columns.push(randomColumn(random, fresh(model, 'c')));
  const targets = [...model.tables, table];
  for (let i = random.int(0, 2); i > 0; i--) {
    const target = random.pick(targets);
    const column = fresh(model, `${target.name}_id`);
    table.columns.push({ name: column, type: keyType(target), nullable: true });
    table.refs.push({ column, target: target.name, ...(random.chance(0.3) ? { onDelete: 'CASCADE' as const } : {}) });
  }
  const indexable = table.columns.filter((c) => !c.primaryKey && !table.refs.some((r) => r.column === c.name));
  if (indexable.length > 0 && random.chance(0.5)) {
    const column = random.pick(indexable);
    table.indexes.push({
      name: fresh(model, 'idx_'),
      columns: [column.name],
      unique: column.type !== 'BOOLEAN' && random.chance(0.2),
    });
  }
  return table;
}

/** A base registry of two to four tables. */
export function randomRegistry(random: Random): RegistryModel {
  const model: RegistryModel = { tables: [], counter: 0 };
  for (let i = random.int(2, 4); i > 0; i--) model.tables.push(randomTable(random, model));
  return model;
}

const yamlColumn = (c: ColumnModel): string => {
  const parts = [`name: ${c.name}`, `type: "${c.type}"`, `nullable: ${c.nullable}`];
  if (c.primaryKey) parts.push('primary_key: true');
  if (c.unique) parts.push('unique: true');
  if (c.default !== undefined) parts.push(`default: "${c.default.replace(/"/g, '\\"')}"`);
  if (c.renamedFrom) parts.push(`renamed_from: ${c.renamedFrom}`);
  return `  - { ${parts.join(', ')} }`;
};

/** The registry as schema files: name → YAML. */
export function registryFiles(model: RegistryModel): Record<string, string> {
  const files: Record<string, string> = {};
  for (const t of model.tables) {
    const lines = [`name: ${t.name}`, `owner: ${t.name}-service`, `version: ${t.version}`];
    if (t.renamedFrom) lines.push(`renamed_from: ${t.renamedFrom}`);
    lines.push('columns:', ...t.columns.map(yamlColumn));
    if (t.refs.length > 0) {
      lines.push('references:');
      for (const r of t.refs)
        lines.push(
          `  - { schema: ${r.target}, column: id, foreign_key: ${r.column}${r.onDelete ? `, on_delete: ${r.onDelete}` : ''} }`,
        );
    }
    if (t.indexes.length > 0) {
      lines.push('indexes:');
      for (const i of t.indexes)
        lines.push(`  - { name: ${i.name}, columns: [${i.columns.join(', ')}], unique: ${i.unique} }`);
    }
    files[t.name] = `${lines.join('\n')}\n`;
  }
  return files;
}
