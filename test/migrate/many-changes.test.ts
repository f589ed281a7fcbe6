import { afterEach, describe, expect, it } from 'vitest';
import {
  applyMigration,
  compareCatalogs,
  createPlanCatalog,
  formatPlanWarnings,
  HISTORY_TABLES,
  loadRegistryVersion,
  readCatalog,
} from '@aegis/migrate';
import { createGitRepo } from '../helpers/git-repo.js';
import { ADMIN_URL, createTestDatabase } from './migrate-db.js';
import { file, orders, payments, users } from './registry-files.js';

const legacy = [
  'name: legacy',
  'owner: old-service',
  'version: 1.0.0',
  'columns:',
  '  - { name: id, type: BIGINT, nullable: false, primary_key: true }',
  '',
].join('\n');

/** Nearly every kind of change at once, each of which a plan must carry out in the right order. */
function headFiles(): Record<string, string> {
  const u = users({
    version: '2.0.0',
    extraColumns: ['  - { name: age, type: INTEGER, nullable: true }'],
    indexes: ['  - { name: idx_users_age, columns: [age] }'],
  })
    .replace(
      'name: nickname, type: VARCHAR(50), nullable: true',
      `name: nick, renamed_from: nickname, type: TEXT, nullable: false, default: "'anon'"`,
    ) // rename + widen + NOT NULL with default
    .replace('nullable: false, unique: true', 'nullable: false'); // unique dropped
  const o = orders({ version: '2.0.0' })
    .replace('default: "0"', 'default: "1"') // default changed
    .replace('on_delete: CASCADE', 'on_delete: RESTRICT') // FK action changed
    .replace('columns: [user_id]', 'columns: [user_id, total]'); // index columns changed
  return { [file('users')]: u, [file('orders')]: o, [file('payments')]: payments() };
}

describe('apply base, then a many-sided change, on the local PostgreSQL', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('ends with exactly the catalog of head created from empty, rows kept, both versions recorded', async () => {
    const repo = await createGitRepo({
      files: { [file('users')]: users(), [file('orders')]: orders(), [file('legacy')]: legacy },
    });
    cleanups.push(() => repo.cleanup());
    await repo.remove(file('legacy'));
    await repo.commit('head', headFiles());
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());

    await applyMigration({ databaseUrl: db.url, target: await loadRegistryVersion(repo.dir, 'HEAD~1') });
    await db.client.query(
      `INSERT INTO users (id, email) VALUES ('00000000-0000-0000-0000-000000000001', 'a@example.com')`,
    );
    await db.client.query(`INSERT INTO orders (id, user_id) VALUES (1, '00000000-0000-0000-0000-000000000001')`);
    const target = await loadRegistryVersion(repo.dir, 'HEAD');
    const planned: string[] = [];
    const change = await applyMigration({
      databaseUrl: db.url,
      target,
      onPlan: (steps) => planned.push(formatPlanWarnings(steps)),
    });
    expect(change.status).toBe('applied');
    expect(change.steps.filter((s) => s.destructive).map((s) => s.sql)).toContain('DROP TABLE legacy;');
    // Before anything ran, the caller was told what destroys data and what locks.
    expect(planned[0]).toMatch(
      /^warning: step \d+\/\d+ legacy \(owner old-service\): DROP TABLE legacy; is DESTRUCTIVE: the table and all its rows are gone$/m,
    );

    const expected = await createPlanCatalog(ADMIN_URL, target);
    expect(compareCatalogs(expected, await readCatalog(db.client, { exclude: HISTORY_TABLES }))).toEqual([]);
    const { rows } = await db.client.query<{ nick: string; total: string }>(
      'SELECT u.nick, o.total FROM users u JOIN orders o ON o.user_id = u.id',
    );
    expect(rows).toEqual([{ nick: 'anon', total: '0.00' }]);
    const history = await db.client.query<{ n: string }>(
      `SELECT count(*) AS n FROM aegis_migrations WHERE status = 'applied'`,
    );
    expect(history.rows[0]?.n).toBe('2');
  });
});
