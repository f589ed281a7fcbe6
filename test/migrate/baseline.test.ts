import { describe, expect, it } from 'vitest';
import { createPlan } from '@aegis/core';
import { applyMigration, baselineMigration, DriftError, loadRegistryVersion, MigrateError } from '@aegis/migrate';
import { migrateApplyCommand } from '../../packages/cli/src/commands/migrate-apply.js';
import { migrateStatusCommand } from '../../packages/cli/src/commands/migrate-status.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { tableNames, type TestDatabase } from './migrate-db.js';
import { file, payments } from './registry-files.js';
import { recordingIo } from './test-io.js';
import { useV1AndDatabase } from './use-v1-and-database.js';

describe('aegis migrate apply --baseline: adopting a database built before aegis', () => {
  const v1AndDatabase = useV1AndDatabase();
  /** A database whose tables were built by hand from v1's SQL (as `psql -f` of `aegis migrate HEAD` would). */
  const setup = async (): Promise<{ repo: GitRepo; db: TestDatabase }> => {
    const { repo, db } = await v1AndDatabase.setup();
    for (const step of createPlan((await loadRegistryVersion(repo.dir, 'main')).registry))
      await db.client.query(step.sql);
    return { repo, db };
  };

  it('records the version without running anything, then later applies start from it', async () => {
    const { repo, db } = await setup();
    const io = recordingIo(repo.dir, { DATABASE_URL: db.url });
    expect(await migrateApplyCommand.run(['--baseline'], io)).toBe(0);
    expect(io.stdoutText).toMatch(
      /^baselined at HEAD \([0-9a-f]{12}\): the tables match its create plan; recorded as migration 1/,
    );
    const again = await applyMigration({ databaseUrl: db.url, target: await loadRegistryVersion(repo.dir, 'main') });
    expect(again.status).toBe('up-to-date');
    await repo.commit('payments', { [file('payments')]: payments() });
    const changed = await applyMigration({ databaseUrl: db.url, target: await loadRegistryVersion(repo.dir, 'main') });
    expect(changed.steps.map((s) => s.schema)).toEqual(['payments']);
    expect(await tableNames(db.client)).toContain('payments');
  });

  it('refuses tables that do not match, and a database that already has history', async () => {
    const { repo, db } = await setup();
    await db.client.query('ALTER TABLE users DROP COLUMN nickname');
    const target = await loadRegistryVersion(repo.dir, 'main');
    const drift = await baselineMigration({ databaseUrl: db.url, target }).catch((e: unknown) => e);
    expect(drift).toBeInstanceOf(DriftError);
    expect((drift as DriftError).differences).toEqual([
      { kind: 'column', name: 'users.nickname', expected: 'character varying(50)' },
    ]);
    expect(await tableNames(db.client)).not.toContain('aegis_migrations');

    await baselineMigration({ databaseUrl: db.url, target, allowDrift: true });
    const twice = await baselineMigration({ databaseUrl: db.url, target }).catch((e: unknown) => e);
    expect(twice).toBeInstanceOf(MigrateError);
    expect((twice as MigrateError).message).toMatch(
      /already records version [0-9a-f]{12} \(applied\); --baseline is only for a database aegis never migrated/,
    );
  });

  it('--ignore-table leaves tables the registry does not manage out of baseline, apply and status', async () => {
    const { repo, db } = await setup();
    await db.client.query('CREATE TABLE spatial_ref_sys (srid integer PRIMARY KEY)');
    const run = async (command: typeof migrateApplyCommand, ...args: string[]) => {
      const io = recordingIo(repo.dir, { DATABASE_URL: db.url });
      return { code: await command.run(args, io), out: io.stdoutText, err: io.stderrText };
    };
    expect((await run(migrateApplyCommand, '--baseline')).err).toMatch(
      /differs from the recorded registry version in 1 place \(\+ table spatial_ref_sys \(not expected\)\)/,
    );
    expect((await run(migrateApplyCommand, '--baseline', '--ignore-table', 'spatial_*')).code).toBe(0);
    expect((await run(migrateApplyCommand, '--ignore-table', 'spatial_*')).out).toMatch(/^already at HEAD/);
    expect((await run(migrateStatusCommand, '--ignore-table', 'spatial_ref_sys')).code).toBe(0);
    const strict = await run(migrateStatusCommand);
    expect(strict.code).toBe(1);
    expect(strict.out).toContain('+ table spatial_ref_sys (not expected)');
  });
});
