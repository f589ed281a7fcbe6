import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The name of the i-th generated schema. */
export const schemaName = (i: number): string => `t_${String(i).padStart(5, '0')}`;

/**
 * The text of the i-th schema: a primary key, a few typed columns, a foreign key to its parent in a binary
 * tree (so no cycles) and, for one in ten, a second one to the hub `t_00000`. `onDelete` lets benchmarks
 * flip a value between valid and invalid.
 */
export function schemaText(i: number, onDelete = 'CASCADE'): string {
  const lines = [
    `name: ${schemaName(i)}`,
    `owner: service-${i % 50}`,
    'version: 1.0.0',
    `description: Generated table ${i}`,
    'columns:',
    '  - name: id',
    '    type: UUID',
    '    nullable: false',
    '    primary_key: true',
    '  - name: title',
    '    type: VARCHAR(200)',
    '    nullable: false',
    '  - name: amount',
    '    type: DECIMAL(15,2)',
    '    nullable: true',
    '  - name: created_at',
    '    type: TIMESTAMP',
    '    nullable: false',
    '    default: CURRENT_TIMESTAMP',
  ];
  const refs: string[] = [];
  const parent = i > 0 ? schemaName(Math.floor((i - 1) / 2)) : undefined;
  if (parent) {
    lines.push('  - name: parent_id', '    type: UUID', '    nullable: false');
    refs.push(
      '  - schema: ' + parent,
      '    column: id',
      '    foreign_key: parent_id',
      `    on_delete: ${onDelete}`,
      '    on_update: CASCADE',
    );
  }
  if (i > 0 && i % 10 === 0) {
    lines.push('  - name: hub_id', '    type: UUID', '    nullable: true');
    refs.push('  - schema: t_00000', '    column: id', '    foreign_key: hub_id', '    on_delete: SET NULL');
  }
  if (refs.length > 0) lines.push('references:', ...refs);
  lines.push('indexes:', `  - name: idx_${schemaName(i)}_created`, '    columns: [created_at]');
  return `${lines.join('\n')}\n`;
}

/** Writes a registry of `count` schemas under `<dir>/.kiro/schemas`, replacing whatever was there. */
export async function generateRegistry(dir: string, count: number): Promise<string> {
  const folder = path.join(dir, '.kiro', 'schemas');
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'registry.yaml'), `name: bench-${count}\nversion: 1.0.0\n`);
  for (let i = 0; i < count; i += 500) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + 500); j++)
      batch.push(writeFile(path.join(folder, `${schemaName(j)}.yaml`), schemaText(j)));
    await Promise.all(batch);
  }
  return folder;
}
