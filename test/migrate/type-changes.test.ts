import { afterEach, describe, expect, it } from 'vitest';
import { StepFailedError } from '@aegis/migrate';
import { createTestDatabase, type TestDatabase } from './migrate-db.js';
import { applySchemas, differencesFromCreate, history, rowsOf, schemaText } from './plan-harness.js';

const ID = '  - { name: id, type: INTEGER, nullable: false, primary_key: true }';
const items = (version: string, column: string): Record<string, string> => ({
  items: schemaText('items', version, [ID, column]),
});

describe('type changes keep every value or refuse (PostgreSQL)', () => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });
  const start = async (base: Record<string, string>, insert: string): Promise<TestDatabase> => {
    db = await createTestDatabase();
    await applySchemas(db.url, base);
    await db.client.query(insert);
    return db;
  };

  it.each([
    ['VARCHAR(100)', 'VARCHAR(20)'],
    ['TEXT', 'VARCHAR(10)'],
  ])('%s → %s refuses a value that does not fit instead of cutting it', async (from, to) => {
    const base = items('1.0.0', `  - { name: email, type: "${from}", nullable: true }`);
    const { client, url } = await start(base, `INSERT INTO items VALUES (1, 'a.very.long.address@example.com')`);
    const before = { rows: await rowsOf(client, 'items'), history: await history(client) };
    const head = items('2.0.0', `  - { name: email, type: "${to}", nullable: true }`);
    const failure = await applySchemas(url, head).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StepFailedError);
    expect(String((failure as StepFailedError).serverError)).toMatch(/value too long/);
    expect({ rows: await rowsOf(client, 'items'), history: await history(client) }).toEqual(before);
    await client.query(`UPDATE items SET email = 'short'`);
    await applySchemas(url, head);
    expect(await rowsOf(client, 'items')).toEqual(['(1,short)']);
    expect(await differencesFromCreate(url, client, head)).toEqual([]);
  });

  it('NUMERIC(10,2) → NUMERIC(10,1) refuses while a value would be rounded', async () => {
    const base = items('1.0.0', '  - { name: price, type: "NUMERIC(10,2)", nullable: true }');
    const { client, url } = await start(base, 'INSERT INTO items VALUES (1, 1.25), (2, 3.50)');
    const head = items('2.0.0', '  - { name: price, type: "NUMERIC(10,1)", nullable: true }');
    const failure = await applySchemas(url, head).catch((error: unknown) => error);
    expect(String((failure as StepFailedError).serverError)).toMatch(/items\.price holds values that NUMERIC\(10,1\)/);
    expect(await rowsOf(client, 'items')).toEqual(['(1,1.25)', '(2,3.50)']);
    await client.query('UPDATE items SET price = 1.20 WHERE id = 1');
    await applySchemas(url, head);
    expect(await rowsOf(client, 'items')).toEqual(['(1,1.2)', '(2,3.5)']);
  });

  it("TEXT DEFAULT '1' → INTEGER DEFAULT 1 converts values and default", async () => {
    const base = items('1.0.0', `  - { name: quantity, type: TEXT, nullable: true, default: "'1'" }`);
    const { client, url } = await start(base, `INSERT INTO items (id) VALUES (1); INSERT INTO items VALUES (2, '7')`);
    const head = items('2.0.0', '  - { name: quantity, type: INTEGER, nullable: true, default: "1" }');
    await applySchemas(url, head);
    expect(await rowsOf(client, 'items')).toEqual(['(1,1)', '(2,7)']);
    expect(await differencesFromCreate(url, client, head)).toEqual([]);
  });

  it("VARCHAR(20) DEFAULT 'OPEN' → TEXT leaves the catalog of a fresh create", async () => {
    const base = items('1.0.0', `  - { name: status, type: VARCHAR(20), nullable: false, default: "'OPEN'" }`);
    const { client, url } = await start(base, 'INSERT INTO items (id) VALUES (1)');
    const head = items('2.0.0', `  - { name: status, type: TEXT, nullable: false, default: "'OPEN'" }`);
    await applySchemas(url, head);
    expect(await differencesFromCreate(url, client, head)).toEqual([]);
    expect(await rowsOf(client, 'items')).toEqual(['(1,OPEN)']);
  });
});
