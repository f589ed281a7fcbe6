import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, openTestPglite } from '../test-support/backends.js';
import { migrate } from './migrations.js';
import { PgClient } from './pg-client.js';
import { SqlCache } from './sql-cache.js';
import type { SqlClient } from './sql-client.js';

/** Opens a fresh migrated database of each SQL kind; returns it and how to remove it. */
const databases: Record<string, () => Promise<{ sql: SqlClient; close(): Promise<void> }>> = {
  pglite: async () => {
    const sql = await openTestPglite();
    return { sql, close: () => sql.close() };
  },
  postgres: async () => {
    const db = await createPgDatabase();
    const sql = new PgClient({ connectionString: db.url });
    await migrate(sql);
    return {
      sql,
      close: async () => {
        await sql.close();
        await db.drop();
      },
    };
  },
};

const ALL = 100_000;

describe.each(Object.keys(databases))('the cache on %s', (kind) => {
  let db: { sql: SqlClient; close(): Promise<void> };
  let cache: SqlCache;
  beforeAll(async () => {
    db = await databases[kind]!();
    cache = new SqlCache(db.sql);
  });
  afterAll(async () => db?.close());

  it('gives back a namespace’s entries in the order added; a key keeps its first value', async () => {
    expect(await cache.entries('parse:a', ALL)).toEqual([]);
    await cache.add('parse:a', [
      ['blob1 .kiro/schemas/users.yaml', '{"file":"users"}'],
      ['blob2 .kiro/schemas/orders.yaml', '{"file":"orders"}'],
    ]);
    await cache.add('parse:a', [
      ['blob1 .kiro/schemas/users.yaml', 'another value'],
      ['blob3 .kiro/schemas/it\'s "quoted".yaml', '\\ and ünïcode'],
    ]);
    await cache.add('parse:b', [['blob1 .kiro/schemas/users.yaml', 'b']]);
    expect(await cache.entries('parse:a', ALL)).toEqual([
      ['blob1 .kiro/schemas/users.yaml', '{"file":"users"}'],
      ['blob2 .kiro/schemas/orders.yaml', '{"file":"orders"}'],
      ['blob3 .kiro/schemas/it\'s "quoted".yaml', '\\ and ünïcode'],
    ]);
  });

  it('adds and finds more entries than one statement holds', async () => {
    const many = Array.from({ length: 4500 }, (_, i) => [`k${i}`, `v${i}`] as const);
    await cache.add('parse:many', many);
    const back = await cache.entries('parse:many', ALL);
    expect(back.length).toBe(4500);
    expect(back[4499]).toEqual(['k4499', 'v4499']);
    const keys = [...many.map((e) => e[0]), 'not there'].reverse();
    const found = new Map(await cache.get('parse:many', keys));
    expect(found.size).toBe(4500);
    expect(found.get('k4499')).toBe('v4499');
    expect(await cache.get('parse:a', ['k1'])).toEqual([]);
  });

  it('gives the newest entries, and trims a namespace to its newest', async () => {
    const ten = Array.from({ length: 10 }, (_, i) => [`t${i}`, `v${i}`] as const);
    await cache.add('parse:trim', ten.slice(0, 6));
    await cache.add('parse:trim', ten.slice(6));
    expect(await cache.entries('parse:trim', 3)).toEqual([
      ['t7', 'v7'],
      ['t8', 'v8'],
      ['t9', 'v9'],
    ]);
    await cache.trim('parse:trim', 4);
    expect((await cache.entries('parse:trim', ALL)).map((e) => e[0])).toEqual(['t6', 't7', 't8', 't9']);
    await cache.trim('parse:trim', 100);
    expect((await cache.entries('parse:trim', ALL)).length).toBe(4);
    await cache.trim('parse:empty', 4);
    expect((await cache.entries('parse:a', ALL)).length).toBe(3);
  });

  it('clears the namespaces of a prefix, except the one kept', async () => {
    await cache.add('other', [['k', 'v']]);
    await cache.clear('parse:', 'parse:a');
    expect((await cache.entries('parse:a', ALL)).length).toBe(3);
    expect(await cache.entries('parse:b', ALL)).toEqual([]);
    expect(await cache.entries('parse:many', ALL)).toEqual([]);
    expect(await cache.entries('parse:trim', ALL)).toEqual([]);
    expect(await cache.entries('other', ALL)).toEqual([['k', 'v']]);
    await cache.clear('parse:');
    expect(await cache.entries('parse:a', ALL)).toEqual([]);
  });
});
