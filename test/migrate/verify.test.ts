import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { changePlan } from '@aegis/core';
import { loadRegistryVersion, verifyMigration } from '@aegis/migrate';
import { migrateCommand } from '../../packages/cli/src/commands/migrate.js';
import { migrateVerifyCommand } from '../../packages/cli/src/commands/migrate-verify.js';
import { createGitRepo, type GitRepo } from '../helpers/git-repo.js';
import { ADMIN_URL, databasesLike } from './migrate-db.js';
import { file, orders, payments, users, v1 } from './registry-files.js';
import { recordingIo } from './test-io.js';

describe('aegis migrate verify on a throwaway database', () => {
  const repos: GitRepo[] = [];
  afterEach(async () => {
    for (const repo of repos.splice(0)) await repo.cleanup();
  });
  /** main = v1; feature = a good change; serial = id BIGINT → BIGSERIAL, which ALTER COLUMN TYPE cannot do. */
  const setup = async (): Promise<GitRepo> => {
    const repo = await createGitRepo({ files: v1() });
    repos.push(repo);
    await repo.branch('feature');
    await repo.commit('good change', {
      [file('users')]: users({
        version: '1.1.0',
        extraColumns: ['  - { name: age, type: INTEGER, nullable: true }'],
        indexes: ['  - { name: idx_users_age, columns: [age] }'],
      }),
      [file('payments')]: payments(),
    });
    await repo.branch('serial', 'main');
    await repo.commit('serial id', {
      [file('orders')]: orders({ version: '2.0.0' }).replace(
        'type: BIGINT, nullable: false, primary_key: true',
        'type: BIGSERIAL, nullable: false, primary_key: true',
      ),
    });
    return repo;
  };

  it('passes a good change and drops its database', async () => {
    const repo = await setup();
    const result = await verifyMigration({
      databaseUrl: ADMIN_URL,
      base: await loadRegistryVersion(repo.dir, 'main'),
      head: await loadRegistryVersion(repo.dir, 'feature'),
    });
    expect(result).toMatchObject({ ok: true, differences: [] });
    expect(result.steps.some((s) => s.phase === 'after-commit')).toBe(true);
    expect(await databasesLike(result.database)).toEqual([]);
  });

  it('fails a change whose plan the server refuses, naming the step', async () => {
    const repo = await setup();
    const result = await verifyMigration({
      databaseUrl: ADMIN_URL,
      base: await loadRegistryVersion(repo.dir, 'main'),
      head: await loadRegistryVersion(repo.dir, 'serial'),
    });
    expect(result.ok).toBe(false);
    expect(result.failure).toMatch(
      /^step 1 of \d+ \(orders, owner order-service\): ALTER TABLE orders ALTER COLUMN id TYPE BIGSERIAL.* failed: .*SQLSTATE 42704/,
    );
    expect(await databasesLike(result.database)).toEqual([]);
  });

  it('fails a plan that runs but does not reach HEAD (a hand-edited plan missing steps), listing the differences', async () => {
    const repo = await setup();
    const base = await loadRegistryVersion(repo.dir, 'main');
    const head = await loadRegistryVersion(repo.dir, 'feature');
    const edited = changePlan(base.registry, head.registry).filter(
      (s) => !s.sql.startsWith('CREATE INDEX') && !s.sql.includes('ADD COLUMN age'),
    );
    const result = await verifyMigration({ databaseUrl: ADMIN_URL, base, head, plan: edited });
    expect(result.ok).toBe(false);
    expect(result.differences).toEqual([
      { kind: 'column', name: 'users.age', expected: 'integer' },
      { kind: 'index', name: 'users.idx_users_age', expected: 'CREATE INDEX idx_users_age ON users USING btree (age)' },
    ]);
  });

  it('through the command: exit 0 on a good change, 1 on a failing one, JSON on request', async () => {
    const repo = await setup();
    const good = recordingIo(repo.dir);
    expect(await migrateVerifyCommand.run(['main', 'feature', '--database-url', ADMIN_URL], good)).toBe(0);
    expect(good.stdoutText).toMatch(
      /^verified main \([0-9a-f]{12}\) → feature \([0-9a-f]{12}\): the change plan \(\d+ steps\) gives exactly HEAD's catalog\.\n$/,
    );
    expect(good.stderrText).toMatch(/^\[1\/\d+\] /m);

    const bad = recordingIo(repo.dir, { DATABASE_URL: ADMIN_URL });
    expect(await migrateVerifyCommand.run(['main', 'serial', '--format', 'json'], bad)).toBe(1);
    const json = JSON.parse(bad.stdoutText) as {
      ok: boolean;
      failure: string;
      base: { ref: string };
      head: { ref: string };
    };
    expect(json).toMatchObject({ ok: false, base: { ref: 'main' }, head: { ref: 'serial' } });
    expect(json.failure).toContain('BIGSERIAL');
  });

  it('--plan proves a plan edited by hand from aegis migrate --format json', async () => {
    const repo = await setup();
    const planned = recordingIo(repo.dir);
    expect(await migrateCommand.run(['main', 'feature', '--dialect', 'postgres', '--format', 'json'], planned)).toBe(0);
    const plan = JSON.parse(planned.stdoutText) as { steps: { sql: string }[] };
    await writeFile(path.join(repo.dir, 'full.json'), JSON.stringify(plan));
    await writeFile(
      path.join(repo.dir, 'edited.json'),
      JSON.stringify({ ...plan, steps: plan.steps.filter((s) => !s.sql.includes('idx_users_age')) }),
    );

    const full = recordingIo(repo.dir, { DATABASE_URL: ADMIN_URL });
    expect(await migrateVerifyCommand.run(['main', 'feature', '--plan', 'full.json'], full)).toBe(0);
    const edited = recordingIo(repo.dir, { DATABASE_URL: ADMIN_URL });
    expect(await migrateVerifyCommand.run(['main', 'feature', '--plan', 'edited.json'], edited)).toBe(1);
    expect(edited.stdoutText).toMatch(
      /does not reach HEAD's catalog \(1 difference; .*\):\n {2}- index users\.idx_users_age CREATE INDEX idx_users_age ON users USING btree \(age\) \(missing\)\n$/,
    );
    await expect(
      migrateVerifyCommand.run(
        ['main', 'feature', '--plan', 'nope.json'],
        recordingIo(repo.dir, { DATABASE_URL: ADMIN_URL }),
      ),
    ).rejects.toThrow(/cannot read --plan nope\.json/);
  });
});
