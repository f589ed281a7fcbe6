import { createServer, type Server } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyMigration, loadRegistryVersion, MigrateError, StepFailedError } from '@aegis/migrate';
import type { Command } from '../../packages/cli/src/command.js';
import { migrateApplyCommand } from '../../packages/cli/src/commands/migrate-apply.js';
import { migrateStatusCommand } from '../../packages/cli/src/commands/migrate-status.js';
import { migrateVerifyCommand } from '../../packages/cli/src/commands/migrate-verify.js';
import { createGitRepo, type GitRepo } from '../helpers/git-repo.js';
import { ADMIN_URL, connect, createTestDatabase, tableNames, urlFor, type TestDatabase } from './migrate-db.js';
import { coupons, file, payments, v1 } from './registry-files.js';
import { recordingIo } from './test-io.js';

/** A port where nothing listens: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const commands: [string, Command, string[]][] = [
  ['apply', migrateApplyCommand, []],
  ['verify', migrateVerifyCommand, ['main']],
  ['status', migrateStatusCommand, []],
];

describe('aegis migrate: bad URLs, unreachable servers and missing rights', () => {
  let repo: GitRepo;
  const dbs: TestDatabase[] = [];
  const freshDatabase = async (): Promise<TestDatabase> => {
    const db = await createTestDatabase();
    dbs.push(db);
    return db;
  };
  const role = `aegis_norights_${process.pid}`;
  beforeAll(async () => {
    repo = await createGitRepo({ files: v1() });
    const admin = await connect(ADMIN_URL);
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.query(`CREATE ROLE ${role} LOGIN NOCREATEDB`);
    await admin.end();
  });
  afterAll(async () => {
    await repo.cleanup();
    const admin = await connect(ADMIN_URL);
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  });
  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.drop();
  });

  /** Runs a command and checks the contract: exit 2, exactly one line on stderr, no stack trace, nothing on stdout. */
  const expectOneLineExit2 = async (command: Command, args: string[]): Promise<string> => {
    const io = recordingIo(repo.dir);
    expect(await command.run(args, io)).toBe(2);
    expect(io.stderrText.split('\n').filter(Boolean)).toHaveLength(1);
    expect(io.stderrText).not.toMatch(/\n\s+at /);
    expect(io.stdoutText).toBe('');
    return io.stderrText;
  };

  it.each(commands)('%s: a malformed URL or a wrong scheme', async (_name, command, args) => {
    expect(await expectOneLineExit2(command, [...args, '--database-url', 'not a url'])).toMatch(
      /"not a url" is not a URL\. Give --database-url as postgresql:\/\//,
    );
    expect(await expectOneLineExit2(command, [...args, '--database-url', 'mysql://root:secret@localhost/db'])).toMatch(
      /mysql:\/\/root:\*\*\*@localhost\/db: the scheme must be postgresql:\/\//,
    );
  });

  it.each(commands)('%s: an unreachable server', async (_name, command, args) => {
    const url = `postgresql://postgres:pw@127.0.0.1:${await closedPort()}/test`;
    const line = await expectOneLineExit2(command, [...args, '--database-url', url]);
    expect(line).toMatch(/cannot connect to postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/test: connection refused/);
    expect(line).not.toContain(':pw@');
  });

  it('a database that does not exist', async () => {
    const line = await expectOneLineExit2(migrateApplyCommand, ['--database-url', urlFor('aegis_no_such_database')]);
    expect(line).toMatch(/database "aegis_no_such_database" does not exist.*Create the database first/);
  });

  it('apply without the right to create tables: exit 2, one line, nothing created', async () => {
    const db = await freshDatabase();
    const line = await expectOneLineExit2(migrateApplyCommand, ['--database-url', urlFor(db.name, role)]);
    expect(line).toMatch(
      /^aegis migrate apply: cannot create the history table aegis_migrations: permission denied for schema public \(SQLSTATE 42501\)/,
    );
    expect(await tableNames(db.client)).toEqual([]);
  });

  it('a step refused for missing rights rolls back the steps before it: exit 2 through the library too', async () => {
    const db = await freshDatabase();
    const own = await createGitRepo({ files: v1() });
    await applyMigration({ databaseUrl: db.url, target: await loadRegistryVersion(own.dir, 'main') });
    // The role may create tables and write the history, but not reference orders (owned by postgres).
    await db.client.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${role}`);
    await db.client.query(`GRANT SELECT, INSERT, UPDATE ON aegis_migrations, aegis_migration_steps TO ${role}`);
    await db.client.query(`GRANT USAGE ON SEQUENCE aegis_migrations_id_seq TO ${role}`);
    await own.commit('coupons and payments', { [file('coupons')]: coupons(), [file('payments')]: payments() });
    try {
      const error = await applyMigration({
        databaseUrl: urlFor(db.name, role),
        target: await loadRegistryVersion(own.dir, 'main'),
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StepFailedError);
      expect((error as StepFailedError).exitCode).toBe(2);
      expect((error as StepFailedError).step.schema).toBe('payments');
      expect((error as StepFailedError).message).toMatch(
        /^step 2 of 2 \(payments, owner billing-service\): CREATE TABLE payments.*permission denied for table orders \(SQLSTATE 42501\)\. Everything was rolled back/,
      );
      expect(await tableNames(db.client)).toEqual(['aegis_migration_steps', 'aegis_migrations', 'orders', 'users']);
    } finally {
      await db.client.query(`REVOKE ALL ON aegis_migrations, aegis_migration_steps FROM ${role}`);
      await db.client.query(`REVOKE ALL ON SEQUENCE aegis_migrations_id_seq FROM ${role}`);
      await db.client.query(`REVOKE ALL ON SCHEMA public FROM ${role}`);
      await own.cleanup();
    }
  });

  it('a role that may run the steps but not write the history: rolled back, exit 2', async () => {
    const db = await freshDatabase();
    const own = await createGitRepo({ files: v1() });
    try {
      await applyMigration({ databaseUrl: db.url, target: await loadRegistryVersion(own.dir, 'main') });
      await db.client.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${role}`);
      await db.client.query(`GRANT SELECT ON aegis_migrations, aegis_migration_steps TO ${role}`);
      await own.commit('coupons', { [file('coupons')]: coupons() });
      const error = await applyMigration({
        databaseUrl: urlFor(db.name, role),
        target: await loadRegistryVersion(own.dir, 'main'),
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrateError);
      expect((error as MigrateError).exitCode).toBe(2);
      expect((error as MigrateError).message).toMatch(
        /^cannot record the migration in aegis_migrations \(everything was rolled back\): permission denied for table aegis_migrations \(SQLSTATE 42501\)/,
      );
      expect(await tableNames(db.client)).not.toContain('coupons');
    } finally {
      await db.client.query(`REVOKE ALL ON aegis_migrations, aegis_migration_steps FROM ${role}`);
      await db.client.query(`REVOKE ALL ON SCHEMA public FROM ${role}`);
      await own.cleanup();
    }
  });

  it('a second apply while one runs stops at once: busy, exit 2, nothing done', async () => {
    const db = await freshDatabase();
    // Another apply holds the schema's migration lock (the same key apply takes).
    await db.client.query(`SELECT pg_advisory_lock(hashtext('aegis migrate:' || current_schema()))`);
    const line = await expectOneLineExit2(migrateApplyCommand, ['--database-url', db.url]);
    expect(line).toMatch(/another aegis migrate apply is running against this database schema/);
    expect(await tableNames(db.client)).toEqual([]);
  });

  it('verify without the right to create a database', async () => {
    const db = await freshDatabase();
    const line = await expectOneLineExit2(migrateVerifyCommand, ['main', '--database-url', urlFor(db.name, role)]);
    expect(line).toMatch(
      /cannot create a throwaway database on 127\.0\.0\.1:5432: permission denied to create database \(SQLSTATE 42501\)/,
    );
  });

  it('verify --in-database works without CREATEDB (two throwaway schemas, dropped afterwards)', async () => {
    const db = await freshDatabase();
    await db.client.query(`GRANT CREATE ON DATABASE ${db.name} TO ${role}`);
    try {
      const io = recordingIo(repo.dir);
      expect(
        await migrateVerifyCommand.run(
          ['main', '--in-database', '--format', 'json', '--database-url', urlFor(db.name, role)],
          io,
        ),
      ).toBe(0);
      const result = JSON.parse(io.stdoutText) as { ok: boolean; database: string; schemas: string[] };
      expect(result).toMatchObject({ ok: true, database: db.name });
      expect(result.schemas).toEqual([
        expect.stringMatching(/^aegis_verify_\w+_change$/),
        expect.stringMatching(/^aegis_verify_\w+_head$/),
      ]);
      const { rows } = await db.client.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_namespace WHERE nspname LIKE 'aegis_verify_%'`,
      );
      expect(rows[0]?.n).toBe('0');
    } finally {
      await db.client.query(`REVOKE CREATE ON DATABASE ${db.name} FROM ${role}`);
    }
  });

  it("a bad ref: exit 2 with git's message", async () => {
    const line = await expectOneLineExit2(migrateApplyCommand, ['--database-url', ADMIN_URL, '--to', 'no-such-branch']);
    expect(line).toMatch(/no-such-branch: no such branch, tag or commit/);
  });

  it('no URL at all: a usage error', async () => {
    await expect(migrateApplyCommand.run([], recordingIo(repo.dir))).rejects.toThrow(/give --database-url/);
  });
});
