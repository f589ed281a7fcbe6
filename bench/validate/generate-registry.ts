import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Column types the generator cycles through (what real registries hold). */
const TYPES = [
  'VARCHAR(255)',
  'TEXT',
  'INTEGER',
  'BIGINT',
  'BOOLEAN',
  'DECIMAL(15,2)',
  'DATE',
  'TIMESTAMP',
  'TIMESTAMPTZ',
  'JSONB',
  'VARCHAR(50)',
  'SMALLINT',
];

/** A small deterministic PRNG (mulberry32), so every run generates the same registry. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function tableName(i: number): string {
  return `table_${String(i).padStart(5, '0')}`;
}

/**
 * One schema file: id + 2 foreign keys + 12 other columns (15), 2 references, 2 indexes, a version
 * history. Reference 1 points at the previous table, so the whole registry is one long reference chain;
 * reference 2 at a random earlier table (never a cycle).
 */
export function schemaFile(i: number, next: () => number): string {
  const name = tableName(i);
  const previous = tableName(Math.max(0, i - 1));
  const other = tableName(Math.floor(next() * Math.max(1, i)));
  const lines = [
    `name: ${name}`,
    `owner: service-${i % 97}`,
    'version: 1.2.0',
    `description: Generated table number ${i}`,
    '',
    'columns:',
    '  - name: id',
    '    type: UUID',
    '    nullable: false',
    '    primary_key: true',
    '    description: Primary key',
    '  - name: previous_id',
    '    type: UUID',
    `    nullable: ${i === 0 ? 'true' : 'false'}`,
    '  - name: other_id',
    '    type: UUID',
    '    nullable: true',
  ];
  for (let c = 0; c < 12; c++) {
    lines.push(
      `  - name: field_${c}`,
      `    type: ${TYPES[(i + c) % TYPES.length]}`,
      `    nullable: ${c % 3 === 0 ? 'false' : 'true'}`,
    );
    if (c % 4 === 0) lines.push(`    default: "${c % 8 === 0 ? 'CURRENT_TIMESTAMP' : "'x'"}"`);
    if (c % 2 === 0) lines.push(`    description: Field ${c} of ${name}`);
  }
  lines.push(
    '',
    'references:',
    `  - schema: ${i === 0 ? name : previous}`,
    '    column: id',
    '    foreign_key: previous_id',
    '    on_delete: RESTRICT',
    '    on_update: CASCADE',
    `  - schema: ${i === 0 ? name : other}`,
    '    column: id',
    '    foreign_key: other_id',
    '    on_delete: SET NULL',
    '',
    'indexes:',
    `  - name: idx_${name}_previous`,
    '    columns: [previous_id]',
    `  - name: idx_${name}_fields`,
    '    columns: [field_0, field_1]',
    '    unique: true',
    '',
    'version_history:',
    '  - version: 1.0.0',
    '    date: 2024-01-01',
    '    changes: Created',
    '  - version: 1.2.0',
    '    date: 2024-03-01',
    '    changes: Added fields',
    '',
  );
  return lines.join('\n');
}

/** Writes a registry of `count` schemas (plus registry.yaml) into `dir`, replacing what was there. */
export function generateRegistry(dir: string, count: number): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const next = random(count);
  writeFileSync(
    path.join(dir, 'registry.yaml'),
    `name: bench-${count}\ndescription: Generated for bench/validate\nversion: 1.0.0\n`,
  );
  for (let i = 0; i < count; i++) writeFileSync(path.join(dir, `${tableName(i)}.yaml`), schemaFile(i, next));
}
