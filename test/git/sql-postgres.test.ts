import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { changePlan, createPlan, diffRegistries, loadRegistry, memoryFileSource, type Registry } from '@aegis/core';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { applySteps, readCatalog } from './postgres-db.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function folder(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) files[`.kiro/schemas/${name}`] = readFileSync(`${dir}/${name}`, 'utf8');
  return files;
}
const loadFolder = (dir: string): Promise<Registry> => loadRegistry(memoryFileSource(folder(dir)));
const fixture = (side: 'base' | 'head'): Promise<Registry> =>
  loadFolder(`${root}test/git/__fixtures__/migration/${side}`);

/** 500 schemas: a tree of foreign keys, self-references, a few cycles, unique columns and composite indexes. */
function generated(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  const name = (i: number): string => `g_${String(i).padStart(4, '0')}`;
  for (let i = 0; i < count; i++) {
    const refs: string[] = [];
    const cols = [
      '  - { name: id, type: BIGINT, nullable: false, primary_key: true }',
      `  - { name: code, type: VARCHAR(40), nullable: false, unique: true }`,
      '  - { name: amount, type: "DECIMAL(15,2)", nullable: true }',
    ];
    if (i > 0) {
      cols.push('  - { name: parent_id, type: BIGINT, nullable: false }');
      refs.push(
        `  - { schema: ${name(Math.floor((i - 1) / 3))}, column: id, foreign_key: parent_id, on_delete: CASCADE }`,
      );
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

/** Changes a generated registry in every way the change plan handles, spread over the files. */
function mutate(files: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = Object.entries(files);
  // The last tables of the generated tree have no children (and no sibling pairs sit there): safe to remove.
  const leaves = new Set(
    entries
      .slice(-10)
      .filter((_, i) => i % 2 === 0)
      .map(([f]) => f),
  );
  entries.forEach(([file, text], i) => {
    if (leaves.has(file)) return; // leaf tables nobody references: removed
    let t = text;
    if (i % 5 === 1) t = t.replace('type: VARCHAR(40)', 'type: VARCHAR(80)');
    if (i % 5 === 2) t = t.replace('type: "DECIMAL(15,2)", nullable: true', 'type: "DECIMAL(12,2)", nullable: false');
    if (i % 6 === 3) t = t.replace('nullable: false, unique: true }', 'nullable: false }');
    if (i % 7 === 4)
      t = t.replace('columns:\n', 'columns:\n  - { name: extra, type: TEXT, nullable: true, unique: true }\n');
    if (i % 8 === 5)
      t = t
        .replace(/\n {2}- \{ name: amount[^\n]*/, '')
        .replace(/indexes:\n.*\n/, 'indexes:\n  - { name: idx_code_only_' + i + ', columns: [code], unique: true }\n');
    if (i % 9 === 6)
      t = t.replace('foreign_key: parent_id, on_delete: CASCADE', 'foreign_key: parent_id, on_delete: RESTRICT');
    out[file] = t;
  });
  out['.kiro/schemas/n_new.yaml'] =
    'name: n_new\nowner: new-service\nversion: 1.0.0\ncolumns:\n  - { name: id, type: BIGINT, nullable: false, primary_key: true }\n  - { name: g_id, type: BIGINT, nullable: true }\nreferences:\n  - { schema: g_0001, column: id, foreign_key: g_id }\n';
  return out;
}

describe('PostgreSQL DDL on the local server', () => {
  const dbs: TestDatabase[] = [];
  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.drop();
  });
  const fresh = async (): Promise<TestDatabase> => {
    const db = await createTestDatabase('aegis_git_');
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
    expect(catalog.constraints.filter((c) => c.includes('FOREIGN KEY')).length).toBe(
      [...registry.schemas.values()].reduce((n, s) => n + s.references.length, 0),
    );
  });

  it('the create plan of a generated 500-schema registry (self-references, cycles) applies', async () => {
    const registry = await loadRegistry(memoryFileSource(generated(500)));
    const steps = createPlan(registry);
    const db = await fresh();
    await applySteps(db.client, steps);
    const catalog = await readCatalog(db.client);
    expect(catalog.constraints.filter((c) => c.includes('PRIMARY KEY'))).toHaveLength(500);
    expect(catalog.constraints.filter((c) => c.includes('FOREIGN KEY'))).toHaveLength(
      [...registry.schemas.values()].reduce((n, s) => n + s.references.length, 0),
    );
    expect(catalog.indexes.filter((i) => i.includes('_code_amount'))).toHaveLength(500);
  });

  it('the same holds for a generated registry changed in many places at once', async () => {
    const baseFiles = generated(150);
    const headFiles = mutate(baseFiles);
    const [base, head] = await Promise.all([
      loadRegistry(memoryFileSource(baseFiles)),
      loadRegistry(memoryFileSource(headFiles)),
    ]);
    const migrated = await fresh();
    await applySteps(migrated.client, createPlan(base));
    await applySteps(migrated.client, changePlan(base, head));
    const direct = await fresh();
    await applySteps(direct.client, createPlan(head));
    expect(await readCatalog(migrated.client)).toEqual(await readCatalog(direct.client));
    const kinds = new Set(diffRegistries(base, head).changes.map((c) => c.kind));
    expect([...kinds].sort()).toEqual(
      [
        'column-added',
        'column-removed',
        'column-type-changed',
        'column-unique-changed',
        'column-nullability-changed',
        'index-added',
        'index-removed',
        'reference-changed',
        'schema-added',
        'schema-removed',
      ].sort(),
    );
  });

  it('base create + change plan gives the same catalog as head create', async () => {
    const [base, head] = await Promise.all([fixture('base'), fixture('head')]);
    const migrated = await fresh();
    await applySteps(migrated.client, createPlan(base));
    await migrated.client.query(
      `INSERT INTO users (id, email, nickname, status) VALUES ('00000000-0000-0000-0000-000000000001', 'a@example.com', 'ann', 'ACTIVE')`,
    );
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
