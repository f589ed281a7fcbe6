import { afterEach, describe, expect, it } from 'vitest';
import type { StepFailedError } from '@aegis/migrate';
import { readCatalog } from '@aegis/migrate';
import { createTestDatabase, type TestDatabase } from './migrate-db.js';
import { applySchemas, differencesFromCreate, history, rowsOf, schemaText, type Schemas } from './plan-harness.js';

const col = (name: string, type: string, more = ''): string =>
  `  - { name: ${name}, type: "${type}", nullable: true${more} }`;
const pk = (name: string, type: string): string =>
  `  - { name: ${name}, type: "${type}", nullable: false, primary_key: true }`;
const refs = (...lines: string[]): string[] => ['references:', ...lines.map((l) => `  - { ${l} }`)];

describe('plans run in an order PostgreSQL accepts, and refuse before the commit (PostgreSQL)', () => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });
  /** Applies base, runs `seed`, applies head: returns the database, the result or the failure. */
  const migrate = async (base: Schemas, seed: string, head: Schemas) => {
    db = await createTestDatabase();
    await applySchemas(db.url, base);
    if (seed) await db.client.query(seed);
    const outcome = await applySchemas(db.url, head).catch((error: unknown) => error);
    return { db, outcome };
  };
  const expectApplied = async (database: TestDatabase, outcome: unknown, head: Schemas): Promise<void> => {
    expect(outcome).not.toBeInstanceOf(Error);
    expect(await differencesFromCreate(database.url, database.client, head)).toEqual([]);
  };

  it('a key changes type together with its foreign keys and a self-reference (UUID → TEXT)', async () => {
    const users = (t: string, v: string): string =>
      schemaText(
        'users',
        v,
        [pk('id', t), col('manager_id', t)],
        refs('schema: users, column: id, foreign_key: manager_id'),
      );
    const orders = (t: string): string =>
      schemaText(
        'orders',
        '1.0.0',
        [pk('id', 'INTEGER'), col('user_id', t)],
        refs('schema: users, column: id, foreign_key: user_id'),
      );
    const id = '00000000-0000-0000-0000-000000000001';
    const { db, outcome } = await migrate(
      { users: users('UUID', '1.0.0'), orders: orders('UUID') },
      `INSERT INTO users VALUES ('${id}', '${id}'); INSERT INTO orders VALUES (1, '${id}')`,
      { users: users('TEXT', '2.0.0'), orders: orders('TEXT') },
    );
    await expectApplied(db, outcome, { users: users('TEXT', '2.0.0'), orders: orders('TEXT') });
    expect(await rowsOf(db.client, 'orders')).toEqual([`(1,${id})`]);
  });

  it('a key replaced under the foreign key of a table removed in the same change', async () => {
    const users = (key: 'id' | 'code'): string =>
      schemaText('users', '2.0.0', [
        `  - { name: id, type: INTEGER, nullable: false${key === 'id' ? ', primary_key: true' : ''} }`,
        `  - { name: code, type: TEXT, nullable: false${key === 'code' ? ', primary_key: true' : ''} }`,
      ]);
    const legacy = schemaText(
      'legacy',
      '1.0.0',
      [pk('id', 'INTEGER'), col('user_id', 'INTEGER')],
      refs('schema: users, column: id, foreign_key: user_id'),
    );
    const head = { users: users('code') };
    const { db, outcome } = await migrate({ users: users('id'), legacy }, `INSERT INTO users VALUES (1, 'a')`, head);
    await expectApplied(db, outcome, head);
  });

  it('a foreign key to a column made unique by a new unique index, and one resting on a unique index replaced', async () => {
    const users = (index: 'none' | 'email' | 'email-key'): string =>
      schemaText(
        'users',
        '2.0.0',
        [
          pk('id', 'INTEGER'),
          `  - { name: email, type: TEXT, nullable: true${index === 'email-key' ? ', unique: true' : ''} }`,
        ],
        index === 'email' ? ['indexes:', '  - { name: idx_users_email, columns: [email], unique: true }'] : [],
      );
    const orders = (fk: boolean): string =>
      schemaText(
        'orders',
        '1.0.0',
        [pk('id', 'INTEGER'), col('email', 'TEXT')],
        fk ? refs('schema: users, column: email, foreign_key: email') : [],
      );
    const seed = `INSERT INTO users VALUES (1, 'a@x'); INSERT INTO orders VALUES (1, 'a@x')`;
    const first = await migrate({ users: users('none'), orders: orders(false) }, seed, {
      users: users('email'),
      orders: orders(true),
    });
    await expectApplied(first.db, first.outcome, { users: users('email'), orders: orders(true) });
    // The foreign key rests on idx_users_email now; the next change replaces that index by a unique column.
    const head = { users: users('email-key'), orders: orders(true) };
    await applySchemas(first.db.url, head);
    expect(await differencesFromCreate(first.db.url, first.db.client, head)).toEqual([]);
    expect(await history(first.db.client)).toHaveLength(3);
  });

  it('NOT NULL with a default backfills existing NULLs; its VALIDATE runs after the commit', async () => {
    const t = (nullable: string, v: string): Schemas => ({
      items: schemaText('items', v, [pk('id', 'INTEGER'), `  - { name: status, type: TEXT, ${nullable} }`]),
    });
    const { db, outcome } = await migrate(
      t('nullable: true', '1.0.0'),
      `INSERT INTO items VALUES (1, NULL), (2, 'done')`,
      t(`nullable: false, default: "'new'"`, '1.1.0'),
    );
    await expectApplied(db, outcome, t(`nullable: false, default: "'new'"`, '1.1.0'));
    expect(await rowsOf(db.client, 'items')).toEqual(['(1,new)', '(2,done)']);
    const validate = (outcome as { steps: { sql: string; phase: string }[] }).steps.find((s) =>
      s.sql.includes('VALIDATE'),
    );
    expect(validate?.phase).toBe('after-commit'); // its own transaction: no ACCESS EXCLUSIVE held while it scans
  });

  it('NOT NULL without a default is refused before anything commits while NULLs exist', async () => {
    const t = (nullable: boolean, v: string): Schemas => ({
      items: schemaText('items', v, [pk('id', 'INTEGER'), `  - { name: status, type: TEXT, nullable: ${nullable} }`]),
    });
    db = await createTestDatabase();
    await applySchemas(db.url, t(true, '1.0.0'));
    await db.client.query(`INSERT INTO items VALUES (1, NULL)`);
    const before = { catalog: await readCatalog(db.client), history: await history(db.client) };
    const refused = await applySchemas(db.url, t(false, '2.0.0')).catch((error: unknown) => error);
    expect(String((refused as StepFailedError).serverError)).toMatch(/items\.status holds NULLs: NOT NULL refused/);
    expect({ catalog: await readCatalog(db.client), history: await history(db.client) }).toEqual(before);
  });

  it('a foreign key added on rows without a match is refused before anything commits', async () => {
    const orders = (fk: boolean, v: string): string =>
      schemaText(
        'orders',
        v,
        [pk('id', 'INTEGER'), col('user_id', 'INTEGER'), col('note', fk ? 'VARCHAR(5)' : 'TEXT')],
        fk ? refs('schema: users, column: id, foreign_key: user_id') : [],
      );
    const users = schemaText('users', '1.0.0', [pk('id', 'INTEGER')]);
    db = await createTestDatabase();
    await applySchemas(db.url, { users, orders: orders(false, '1.0.0') });
    await db.client.query(`INSERT INTO users VALUES (1); INSERT INTO orders VALUES (1, 1, 'ok'), (2, 7, 'ok')`);
    const before = {
      catalog: await readCatalog(db.client),
      rows: await rowsOf(db.client, 'orders'),
      history: await history(db.client),
    };
    const refused = await applySchemas(db.url, { users, orders: orders(true, '2.0.0') }).catch(
      (error: unknown) => error,
    );
    expect(String((refused as StepFailedError).serverError)).toMatch(
      /orders\.user_id holds values with no match in users\.id/,
    );
    expect({
      catalog: await readCatalog(db.client),
      rows: await rowsOf(db.client, 'orders'),
      history: await history(db.client),
    }).toEqual(before);
  });
});
