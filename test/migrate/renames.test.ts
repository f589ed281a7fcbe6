import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './migrate-db.js';
import { applySchemas, differencesFromCreate, rowsOf, schemaText } from './plan-harness.js';

const ID = '  - { name: id, type: SERIAL, nullable: false, primary_key: true }';

describe('renames by renamed_from, applied on PostgreSQL', () => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });

  it('password_hash dropped and public_bio added: no hash is ever published as a bio', async () => {
    db = await createTestDatabase();
    const column = (name: string): string => `  - { name: ${name}, type: TEXT, nullable: true }`;
    await applySchemas(db.url, { accounts: schemaText('accounts', '1.0.0', [ID, column('password_hash')]) });
    await db.client.query(`INSERT INTO accounts (password_hash) VALUES ('$2b$12$secret')`);
    const head = { accounts: schemaText('accounts', '2.0.0', [ID, column('public_bio')]) };
    const result = await applySchemas(db.url, head);
    expect(result.steps.filter((s) => s.destructive).map((s) => s.sql)).toEqual([
      'ALTER TABLE accounts DROP COLUMN password_hash;',
    ]);
    expect(await rowsOf(db.client, 'accounts')).toEqual(['(1,)']);
  });

  it('a table and its columns renamed by intent keep every row, and the catalog equals a fresh create', async () => {
    db = await createTestDatabase();
    const orders = (target: string, key: string): string =>
      schemaText(
        'orders',
        '1.0.0',
        [ID, `  - { name: ${key}, type: INTEGER, nullable: true }`],
        ['references:', `  - { schema: ${target}, column: id, foreign_key: ${key} }`],
      );
    const base = {
      accounts: schemaText('accounts', '1.0.0', [ID, '  - { name: mail, type: TEXT, nullable: true, unique: true }']),
      orders: orders('accounts', 'account_id'),
    };
    await applySchemas(db.url, base);
    await db.client.query(
      `INSERT INTO accounts (mail) VALUES ('a@example.com'); INSERT INTO orders (account_id) VALUES (1)`,
    );
    const head = {
      customers: schemaText(
        'customers',
        '2.0.0',
        [ID, '  - { name: email, type: TEXT, nullable: true, unique: true, renamed_from: mail }'],
        ['renamed_from: accounts'],
      ),
      orders: orders('customers', 'customer_id').replace(
        'name: customer_id,',
        'name: customer_id, renamed_from: account_id,',
      ),
    };
    const result = await applySchemas(db.url, head);
    expect(result.steps.some((s) => s.destructive)).toBe(false);
    expect(await rowsOf(db.client, 'customers')).toEqual(['(1,a@example.com)']);
    expect(await rowsOf(db.client, 'orders')).toEqual(['(1,1)']);
    expect(await differencesFromCreate(db.url, db.client, head)).toEqual([]);
    await db.client.query(`INSERT INTO customers (email) VALUES ('b@example.com')`); // the sequence follows
    expect(await rowsOf(db.client, 'customers')).toEqual(['(1,a@example.com)', '(2,b@example.com)']);
  });
});
