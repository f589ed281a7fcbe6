import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { changePlan, createPlan, diffRegistries, loadRegistry, memoryFileSource, type Registry } from '@aegis/core';
import { applySteps, createTempDatabase, readCatalog, type TempDatabase } from './postgres-db.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function folder(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) files[`.kiro/schemas/${name}`] = readFileSync(`${dir}/${name}`, 'utf8');
  return files;
}
const loadFolder = (dir: string): Promise<Registry> => loadRegistry(memoryFileSource(folder(dir)));
const fixture = (side: 'base' | 'head'): Promise<Registry> => loadFolder(`${root}test/git/__fixtures__/migration/${side}`);

/** 500 schemas: a tree of foreign keys, self-references, a few cycles, unique columns and composite indexes. */
function generated(count: number): Registry extends never ? never : Record<string, string> {
  const files: Record<string, string> = {};
  const name = (i: number): string => `g_${String(i).padStart(4, '0')}`;
  for (let i = 0; i < count; i++) {
    const refs: string[] = [];
    const cols = ['  - { name: id, type: BIGINT, nullable: false, primary_key: true }', `  - { name: code, type: VARCHAR(40), nullable: false, unique: true }`, '  - { name: amount, type: "DECIMAL(15,2)", nullable: true }'];
    if (i > 0) {
      cols.push('  - { name: parent_id, type: BIGINT, nullable: false }');
      refs.push(`  - { schema: ${name(Math.floor((i - 1) / 3))}, column: id, foreign_key: parent_id, on_delete: CASCADE }`);
    }
    if (i % 7 === 0) {
      cols.push('  - { name: previous_id, type: BIGINT, nullable: true }');
      refs.push(`  - { schema: ${name(i)}, column: id, foreign_key: previous_id, on_delete: SET NULL }`);
    }
    if (i % 50 === 1 && i + 1 < count) {
      cols.push('  - { name: sibling_id, type: BIGINT, nullable: true }');
      refs.push(`  - { schema: ${name(i + 1)}, column: id, foreign_key: sibling_id }`);
    }
    if (i % 50 === 2) {
      cols.push('  - { name: sibling_id, type: BIGINT, nullable: true }');
      refs.push(`  - { schema: ${name(i - 1)}, column: id, foreign_key: sibling_id }`);
    }
    const text = [`name: ${name(i)}`, `owner: service-${i % 20}`, 'version: 1.0.0', 'columns:', ...cols];
    if (refs.length) text.push('references:', ...refs);
    text.push('indexes:', `  - { name: idx_${name(i)}_code_amount, columns: [code, amount] }`);
    files[`.kiro/schemas/${name(i)}.yaml`] = `${text.join('\n')}\n`;
  }
  return files;
}

describe('PostgreSQL DDL on the local server', () => {
  const dbs: TempDatabase[] = [];
  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.drop();
  });
  const fresh = async (): Promise<TempDatabase> => {
    const db = await createTempDatabase();
    dbs.push(db);
    return db;
  };

  it('the create plan of the example registry applies', async () => {
    const registry = await loadFolder(`${root}.kiro/schemas`);
    const db = await fresh();
    await applySteps(db.client, createPlan(registry));
    const catalog = await readCatalog(db.client);
    const tables = new Set(catalog.columns.map((c) => c.split('.')[0]));
    expect([...tables].sort()).toEqual([...registry.schemas.keys()].sort());
    expect(catalog.constraints.filter((c) => c.includes('FOREIGN KEY')).length).toBe([...registry.schemas.values()].reduce((n, s) => n + s.references.length, 0));
  });

  it('the create plan of a generated 500-schema registry (self-references, cycles) applies', async () => {
    const registry = await loadRegistry(memoryFileSource(generated(500)));
    const steps = createPlan(registry);
    const db = await fresh();
    await applySteps(db.client, steps);
    const catalog = await readCatalog(db.client);
    expect(catalog.constraints.filter((c) => c.includes('PRIMARY KEY'))).toHaveLength(500);
    expect(catalog.constraints.filter((c) => c.includes('FOREIGN KEY'))).toHaveLength([...registry.schemas.values()].reduce((n, s) => n + s.references.length, 0));
    expect(catalog.indexes.filter((i) => i.includes('_code_amount'))).toHaveLength(500);
  });

  it('base create + change plan gives the same catalog as head create', async () => {
    const [base, head] = await Promise.all([fixture('base'), fixture('head')]);
    const migrated = await fresh();
    await applySteps(migrated.client, createPlan(base));
    await migrated.client.query(`INSERT INTO users (id, email, nickname, status) VALUES ('00000000-0000-0000-0000-000000000001', 'a@example.com', 'ann', 'ACTIVE')`);
    const steps = changePlan(base, head);
    await applySteps(migrated.client, steps);
    const direct = await fresh();
    await applySteps(direct.client, createPlan(head));
    expect(await readCatalog(migrated.client)).toEqual(await readCatalog(direct.client));
    // The renamed column kept its data.
    expect((await migrated.client.query('SELECT display_name FROM users')).rows).toEqual([{ display_name: 'ann' }]);
    expect(diffRegistries(base, head).breaking).toBe(true);
  });
});
