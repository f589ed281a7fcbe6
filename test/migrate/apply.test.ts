import { describe, expect, it } from 'vitest';
import {
  applyMigration,
  DriftError,
  loadRegistryVersion,
  migrationStatus,
  readCatalog,
  HISTORY_TABLES,
  StepFailedError,
  type ProgressEvent,
} from '@aegis/migrate';
import type { GitRepo } from '../helpers/git-repo.js';
import { connect, tableNames, type TestDatabase } from './migrate-db.js';
import { file, orders, payments, users } from './registry-files.js';
import { useV1AndDatabase } from './use-v1-and-database.js';

describe('aegis migrate apply on the local PostgreSQL', () => {
  const { setup, defer } = useV1AndDatabase();
  const apply = async (
    repo: GitRepo,
    db: TestDatabase,
    ref: string,
    extra: { allowDrift?: boolean; events?: ProgressEvent[]; lockTimeout?: string } = {},
  ) =>
    applyMigration({
      databaseUrl: db.url,
      target: await loadRegistryVersion(repo.dir, ref),
      appliedBy: 'test-runner',
      ...(extra.allowDrift ? { allowDrift: true } : {}),
      ...(extra.lockTimeout ? { lockTimeout: extra.lockTimeout } : {}),
      onProgress: (e) => extra.events?.push(e),
    });
  const historyCount = async (db: TestDatabase): Promise<number> =>
    Number((await db.client.query<{ n: string }>('SELECT count(*) AS n FROM aegis_migrations')).rows[0]?.n);

  it('applies from empty, records the version, and a second run is a no-op', async () => {
    const { repo, db } = await setup();
    const events: ProgressEvent[] = [];
    const first = await apply(repo, db, 'main', { events });
    expect(first.status).toBe('applied');
    expect(first.from).toBeUndefined();
    expect(await tableNames(db.client)).toEqual(['aegis_migration_steps', 'aegis_migrations', 'orders', 'users']);
    expect(events.map((e) => `${e.position}/${e.total} ${e.step.schema}`)).toEqual(
      first.steps.map((s) => `${s.position}/${first.steps.length} ${s.schema}`),
    );
    expect(events[0]?.step.sql).toMatch(/^CREATE TABLE users/);

    const treeId = await repo.git('rev-parse', 'main:.kiro/schemas');
    const { rows } = await db.client.query<{
      version_hash: string;
      commit: string;
      applied_by: string;
      status: string;
      n: string;
    }>(
      `SELECT version_hash, commit, applied_by, status, (SELECT count(*) FROM aegis_migration_steps s WHERE s.migration_id = m.id AND s.status = 'done') AS n FROM aegis_migrations m`,
    );
    expect(rows).toEqual([
      {
        version_hash: treeId,
        commit: await repo.sha('main'),
        applied_by: 'test-runner',
        status: 'applied',
        n: String(first.steps.length),
      },
    ]);

    const second = await apply(repo, db, 'main');
    expect(second.status).toBe('up-to-date');
    expect(second.steps).toEqual([]);
    expect(await historyCount(db)).toBe(1);
  });

  it('applies a change: new column, new table, an index built CONCURRENTLY after the commit', async () => {
    const { repo, db } = await setup();
    await apply(repo, db, 'main');
    await db.client.query(
      `INSERT INTO users (id, email) VALUES ('00000000-0000-0000-0000-000000000001', 'a@example.com')`,
    );
    await repo.commit('change', {
      [file('users')]: users({
        version: '1.1.0',
        extraColumns: ['  - { name: last_login_at, type: TIMESTAMPTZ, nullable: true }'],
        indexes: ['  - { name: idx_users_login, columns: [last_login_at] }'],
      }),
      [file('payments')]: payments(),
    });
    const result = await apply(repo, db, 'main');
    expect(result.status).toBe('applied');
    expect(result.from?.commit).toBe(await repo.sha('main~1'));
    expect(result.steps.find((s) => s.sql.includes('CONCURRENTLY'))?.phase).toBe('after-commit');
    expect(await tableNames(db.client)).toContain('payments');
    const catalog = await readCatalog(db.client, { exclude: HISTORY_TABLES });
    expect(catalog.columns['users.last_login_at']).toBe('timestamp with time zone');
    expect(catalog.indexes['users.idx_users_login']).toBe(
      'CREATE INDEX idx_users_login ON users USING btree (last_login_at)',
    );
    expect(catalog.constraints['payments.payments_order_id_fkey']).toMatch(/REFERENCES orders\(id\)/);
    const { rows } = await db.client.query<{ status: string }>(
      `SELECT status FROM aegis_migration_steps WHERE migration_id = $1`,
      [result.migrationId],
    );
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['done']));
    expect(
      (await migrationStatus({ databaseUrl: db.url, target: await loadRegistryVersion(repo.dir, 'main') })).upToDate,
    ).toBe(true);
  });

  it('a failing step (NOT NULL on a column holding NULLs) rolls back everything and names the step', async () => {
    const { repo, db } = await setup();
    await apply(repo, db, 'main');
    await db.client.query(
      `INSERT INTO users (id, email) VALUES ('00000000-0000-0000-0000-000000000001', 'a@example.com')`,
    );
    const before = await readCatalog(db.client);
    await repo.commit('breaking', {
      [file('users')]: users({ version: '2.0.0', nicknameRequired: true }),
      [file('orders')]: orders({ version: '1.1.0', extraColumns: ['  - { name: note, type: TEXT, nullable: true }'] }),
      [file('payments')]: payments(),
    });
    const error = await apply(repo, db, 'main').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepFailedError);
    const failed = error as StepFailedError;
    expect(failed.exitCode).toBe(1);
    expect(failed.rolledBack).toBe(true);
    expect(failed.step.schema).toBe('users');
    expect(failed.step.owner).toBe('user-service');
    expect(failed.step.sql).toContain('nickname');
    expect(failed.message).toMatch(
      /^step \d+ of \d+ \(users, owner user-service\): .*nickname.* failed: users\.nickname holds NULLs: NOT NULL refused .*SQLSTATE P0001/,
    );
    expect(failed.message).toContain('Everything was rolled back');
    expect(await readCatalog(db.client)).toEqual(before);
    expect(await historyCount(db)).toBe(1);
  });

  it('drift (a column added by hand) is refused with the differences, then accepted with allowDrift', async () => {
    const { repo, db } = await setup();
    await apply(repo, db, 'main');
    await db.client.query('ALTER TABLE users ADD COLUMN hacked integer');
    await db.client.query('DROP INDEX idx_orders_user');
    await repo.commit('add payments', { [file('payments')]: payments() });
    const error = await apply(repo, db, 'main').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DriftError);
    expect((error as DriftError).differences).toEqual([
      {
        kind: 'index',
        name: 'orders.idx_orders_user',
        expected: 'CREATE INDEX idx_orders_user ON orders USING btree (user_id)',
      },
      { kind: 'column', name: 'users.hacked', actual: 'integer' },
    ]);
    expect((error as DriftError).message).toContain('+ column users.hacked integer (not expected)');
    expect(await tableNames(db.client)).not.toContain('payments');
    const status = await migrationStatus({ databaseUrl: db.url });
    expect(status.drift).toHaveLength(2);

    const forced = await apply(repo, db, 'main', { allowDrift: true });
    expect(forced.status).toBe('applied');
    expect(forced.drift).toHaveLength(2);
    const { rows } = await db.client.query<{ d: unknown[] }>(
      'SELECT accepted_drift AS d FROM aegis_migrations ORDER BY id DESC LIMIT 1',
    );
    expect(rows[0]?.d).toHaveLength(2);
    expect((await migrationStatus({ databaseUrl: db.url })).drift).toEqual([]);
    // Against the recorded version's create plan (not the snapshot), the accepted drift still shows.
    const rebuilt = await migrationStatus({ databaseUrl: db.url, rebuild: true });
    expect(rebuilt.drift.map((d) => d.name)).toEqual(['orders.idx_orders_user', 'users.hacked']);
  });

  it('an after-commit step that fails is recorded, and the next run resumes it', async () => {
    const { repo, db } = await setup();
    await apply(repo, db, 'main');
    await repo.commit('unique nickname', {
      [file('users')]: users({
        version: '1.1.0',
        indexes: ['  - { name: idx_users_nickname, columns: [nickname], unique: true }'],
      }),
      [file('payments')]: payments(),
    });
    // Another session holds a lock the concurrent index build needs: it gives up at the lock timeout.
    const blocker = await connect(db.url);
    defer(() => blocker.end());
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE users IN SHARE UPDATE EXCLUSIVE MODE');
    const error = await apply(repo, db, 'main', { lockTimeout: '300ms' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepFailedError);
    expect((error as StepFailedError).rolledBack).toBe(false);
    expect((error as StepFailedError).serverError).toMatch(/lock timeout/);
    expect((error as StepFailedError).message).toMatch(/resumes at step \d+/);
    expect(await tableNames(db.client)).toContain('payments'); // the transaction part committed
    const partial = await migrationStatus({ databaseUrl: db.url });
    expect(partial.current?.status).toBe('partial');
    const index = 'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx_users_nickname ON users (nickname);';
    expect(partial.unfinished.map((s) => s.sql)).toEqual([index]);

    await blocker.query('ROLLBACK');
    const events: ProgressEvent[] = [];
    const resumed = await apply(repo, db, 'main', { events });
    expect(resumed.status).toBe('up-to-date');
    expect(resumed.resumed.map((s) => s.sql)).toEqual([index]);
    expect(events.every((e) => e.resumed)).toBe(true);
    const catalog = await readCatalog(db.client);
    expect(catalog.indexes['users.idx_users_nickname']).toBe(
      'CREATE UNIQUE INDEX idx_users_nickname ON users USING btree (nickname)',
    );
    expect((await migrationStatus({ databaseUrl: db.url })).current?.status).toBe('applied');
  });

  it('a unique key built concurrently and a foreign key to it run after the commit, in order', async () => {
    const { repo, db } = await setup();
    await apply(repo, db, 'main');
    await repo.commit('orders by email', {
      [file('users')]: users({ version: '1.1.0' }).replace(
        'type: UUID, nullable: false, primary_key: true }',
        'type: UUID, nullable: false, primary_key: true }\n  - { name: handle, type: VARCHAR(40), nullable: true, unique: true }',
      ),
      [file('orders')]: orders({
        version: '1.1.0',
        extraColumns: ['  - { name: handle, type: VARCHAR(40), nullable: true }'],
      }).replace('references:', 'references:\n  - { schema: users, column: handle, foreign_key: handle }'),
      // A new table whose inline foreign key needs the new key: its CREATE TABLE must wait for it too.
      [file('mentions')]: [
        'name: mentions',
        'owner: social-service',
        'version: 1.0.0',
        'columns:',
        '  - { name: id, type: BIGINT, nullable: false, primary_key: true }',
        '  - { name: handle, type: VARCHAR(40), nullable: false }',
        'references:',
        '  - { schema: users, column: handle, foreign_key: handle }',
        'indexes:',
        '  - { name: idx_mentions_handle, columns: [handle] }',
        '',
      ].join('\n'),
    });
    const result = await apply(repo, db, 'main');
    const later = result.steps.filter((s) => s.phase === 'after-commit').map((s) => s.sql.split(' (')[0]);
    expect(later).toEqual([
      'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_handle_key ON users',
      'ALTER TABLE users ADD CONSTRAINT users_handle_key UNIQUE USING INDEX users_handle_key;',
      'CREATE TABLE mentions',
      'CREATE INDEX idx_mentions_handle ON mentions',
      'ALTER TABLE orders ADD CONSTRAINT orders_handle_fkey FOREIGN KEY',
      'ALTER TABLE orders VALIDATE CONSTRAINT orders_handle_fkey;',
    ]);
    expect((await readCatalog(db.client)).constraints['mentions.mentions_handle_fkey']).toBe(
      'FOREIGN KEY (handle) REFERENCES users(handle)',
    );
    const catalog = await readCatalog(db.client, { exclude: HISTORY_TABLES });
    expect(catalog.constraints['orders.orders_handle_fkey']).toBe('FOREIGN KEY (handle) REFERENCES users(handle)');
    expect(catalog.constraints['users.users_handle_key']).toBe('UNIQUE (handle)');
  });

  it('going back to an older ref plans from the recorded version to it', async () => {
    const { repo, db } = await setup();
    await apply(repo, db, 'main');
    await repo.commit('payments', { [file('payments')]: payments() });
    await apply(repo, db, 'main');
    const back = await apply(repo, db, 'main~1');
    expect(back.status).toBe('applied');
    expect(back.steps.map((s) => [s.sql, s.destructive])).toEqual([['DROP TABLE payments;', true]]);
    expect(await tableNames(db.client)).not.toContain('payments');
    expect(await historyCount(db)).toBe(3);
    expect((await apply(repo, db, 'main~1')).status).toBe('up-to-date');
  });
});
