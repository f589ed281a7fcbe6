import { describe, expect, it } from 'vitest';
import { migrateApplyCommand } from '../../packages/cli/src/commands/migrate-apply.js';
import { migrateStatusCommand } from '../../packages/cli/src/commands/migrate-status.js';
import { migrateVerifyCommand } from '../../packages/cli/src/commands/migrate-verify.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { tableNames, type TestDatabase } from './migrate-db.js';
import { file, payments, users } from './registry-files.js';
import { recordingIo } from './test-io.js';
import { useV1AndDatabase } from './use-v1-and-database.js';

describe('aegis migrate apply | status | verify as commands', () => {
  const v1AndDatabase = useV1AndDatabase();
  const setup = async (): Promise<{
    repo: GitRepo;
    db: TestDatabase;
    run: (
      command: typeof migrateApplyCommand,
      ...args: string[]
    ) => Promise<{ code: number; out: string; err: string }>;
  }> => {
    const { repo, db } = await v1AndDatabase.setup();
    const run = async (command: typeof migrateApplyCommand, ...args: string[]) => {
      const io = recordingIo(repo.dir, { DATABASE_URL: db.url, AEGIS_APPLIED_BY: 'ci-bot' });
      const code = await command.run(args, io);
      return { code, out: io.stdoutText, err: io.stderrText };
    };
    return { repo, db, run };
  };

  it('dry run prints the plan and changes nothing; apply shows progress; a re-run says nothing to do', async () => {
    const { db, run } = await setup();
    const dry = await run(migrateApplyCommand, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(
      /^-- dry run empty database → HEAD \([0-9a-f]{12}\): \d+ steps, 0 destructive, 0 after the commit\n-- step 1\/\d+: users \(owner: user-service\) \[in transaction\]\nCREATE TABLE users \(/,
    );
    expect(await tableNames(db.client)).toEqual([]);

    const applied = await run(migrateApplyCommand);
    expect(applied.code).toBe(0);
    expect(applied.out).toMatch(
      /^applied empty database → HEAD \([0-9a-f]{12}\): \d+ steps \(0 after the commit\), recorded as migration 1\.\n$/,
    );
    const progress = applied.err.trim().split('\n');
    expect(progress[0]).toMatch(/^\[1\/(\d+)\] users \(owner user-service\): CREATE TABLE users \($/);
    expect(progress.at(-1)).toMatch(
      /^\[(\d+)\/\1\] orders \(owner order-service\): CREATE INDEX idx_orders_user ON orders \(user_id\);$/,
    );
    const { rows } = await db.client.query<{ applied_by: string }>('SELECT applied_by FROM aegis_migrations');
    expect(rows).toEqual([{ applied_by: 'ci-bot' }]);

    const again = await run(migrateApplyCommand, '--format', 'json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ status: 'up-to-date', steps: [], drift: [] });
    expect(again.err).toBe('');
  });

  it('status: version, pending steps to HEAD, then drift; exit 1 until clean', async () => {
    const { repo, db, run } = await setup();
    const never = await run(migrateStatusCommand);
    expect(never.code).toBe(1);
    expect(never.out).toMatch(/^version: none \(never migrated by aegis\)\npending: \d+ steps to HEAD/);
    await run(migrateApplyCommand);
    const clean = await run(migrateStatusCommand);
    expect(clean.code).toBe(0);
    expect(clean.out).toMatch(
      new RegExp(
        `^version: [0-9a-f]{12} \\(commit ${(await repo.sha()).slice(0, 12)}, ref HEAD\\), applied\\napplied: \\S+ by ci-bot \\(database user postgres\\)\\npending: none \\(at HEAD \\([0-9a-f]{12}\\)\\)\\ndrift: none\\n$`,
      ),
    );

    await repo.commit('payments', { [file('payments')]: payments() });
    await db.client.query('ALTER TABLE orders ALTER COLUMN total DROP DEFAULT');
    const dirty = await run(migrateStatusCommand, '--format', 'json');
    expect(dirty.code).toBe(1);
    const json = JSON.parse(dirty.out) as {
      pending: { schema: string }[];
      drift: unknown[];
      current: { status: string };
    };
    expect(json.pending.map((s) => s.schema)).toEqual(['payments']);
    expect(json.drift).toEqual([
      {
        kind: 'column',
        name: 'orders.total',
        expected: 'numeric(12,2) NOT NULL DEFAULT 0',
        actual: 'numeric(12,2) NOT NULL',
      },
    ]);

    const refused = await run(migrateApplyCommand);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(
      /^aegis migrate apply: the database differs from the recorded registry version in 1 place \(~ column orders\.total: expected numeric\(12,2\) NOT NULL DEFAULT 0, found numeric\(12,2\) NOT NULL\)\. Undo the hand changes, or rerun with --allow-drift/,
    );
    expect(await tableNames(db.client)).not.toContain('payments');
  });

  it('a failing step: exit 1, the step on stderr, and JSON with the step and the server error', async () => {
    const { repo, db, run } = await setup();
    await run(migrateApplyCommand);
    await db.client.query(
      `INSERT INTO users (id, email) VALUES ('00000000-0000-0000-0000-000000000001', 'a@example.com')`,
    );
    await repo.commit('required nickname', { [file('users')]: users({ version: '2.0.0', nicknameRequired: true }) });
    const failed = await run(migrateApplyCommand, '--format', 'json');
    expect(failed.code).toBe(1);
    const err = failed.err.split('\n').filter((l) => !l.startsWith('['));
    expect(err.filter(Boolean)).toHaveLength(1);
    expect(err[0]).toMatch(
      /^aegis migrate apply: step \d+ of \d+ \(users, owner user-service\): DO \$aegis\$ BEGIN IF EXISTS \(SELECT 1 FROM users WHERE nickname IS NULL\).* failed: users\.nickname holds NULLs: NOT NULL refused \(fill them in first\) \(SQLSTATE P0001\)\. Everything was rolled back/,
    );
    const json = JSON.parse(failed.out) as {
      status: string;
      error: { kind: string; step: { schema: string; owner: string }; rolledBack: boolean };
    };
    expect(json).toMatchObject({
      status: 'failed',
      error: { kind: 'step-failed', step: { schema: 'users', owner: 'user-service' }, rolledBack: true },
    });
  });

  it('verify with only HEAD starts from the version the database records', async () => {
    const { repo, run } = await setup();
    await run(migrateApplyCommand);
    await repo.commit('payments', { [file('payments')]: payments() });
    const result = await run(migrateVerifyCommand, 'HEAD', '--format', 'json');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.out) as { ok: boolean; base: { commit: string }; steps: { schema: string }[] };
    expect(json.base.commit).toBe(await repo.sha('HEAD~1'));
    expect(json.steps.map((s) => s.schema)).toEqual(['payments']);
  });

  it('warns on stderr before a destructive step runs, and marks it in the progress', async () => {
    const { repo, run } = await setup();
    await run(migrateApplyCommand);
    await repo.remove(file('orders'));
    await repo.commit('orders retired');
    const dropped = await run(migrateApplyCommand);
    expect(dropped.code).toBe(0);
    expect(dropped.err).toBe(
      'warning: step 1/1 orders (owner order-service): DROP TABLE orders; is DESTRUCTIVE: the table and all its rows are gone\n' +
        '[1/1] DESTRUCTIVE orders (owner order-service): DROP TABLE orders;\n',
    );
  });
});
