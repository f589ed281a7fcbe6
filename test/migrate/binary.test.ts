import { describe, expect, it } from 'vitest';
import { runAegis } from '../helpers/run-aegis.js';
import { tableNames } from './migrate-db.js';
import { file, users } from './registry-files.js';
import { useV1AndDatabase } from './use-v1-and-database.js';

/** The built `aegis` binary, as a user or CI runs it (the test script builds first). */
describe('aegis migrate apply | verify | status through the binary', () => {
  const { setup } = useV1AndDatabase();

  it('applies, reports a failing step with exit 1 and the database untouched, and verifies', async () => {
    const { repo, db } = await setup();
    const applied = await runAegis(['migrate', 'apply', '--database-url', db.url], repo.dir);
    expect(applied).toMatchObject({ code: 0 });
    expect(applied.stdout).toMatch(/^applied empty database → HEAD \([0-9a-f]{12}\)/);
    expect(applied.stderr).toMatch(/^\[1\/\d+\] users \(owner user-service\): CREATE TABLE users \(/);

    await db.client.query(
      `INSERT INTO users (id, email) VALUES ('00000000-0000-0000-0000-000000000001', 'a@example.com')`,
    );
    await repo.commit('required nickname', { [file('users')]: users({ version: '2.0.0', nicknameRequired: true }) });
    const before = await tableNames(db.client);
    const failed = await runAegis(['migrate', 'apply', '--database-url', db.url], repo.dir);
    expect(failed.code).toBe(1);
    expect(failed.stderr.split('\n').filter((l) => l && !l.startsWith('['))).toEqual([
      expect.stringMatching(
        /^aegis migrate apply: step \d+ of \d+ \(users, owner user-service\).*SQLSTATE P0001.*Everything was rolled back/,
      ),
    ]);
    expect(await tableNames(db.client)).toEqual(before);

    const status = await runAegis(['migrate', 'status', '--database-url', db.url], repo.dir);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/\npending: \d+ steps to HEAD/);

    const verified = await runAegis(['migrate', 'verify', 'HEAD~1', 'HEAD', '--database-url', db.url], repo.dir);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/^verified HEAD~1 \([0-9a-f]{12}\) → HEAD \([0-9a-f]{12}\)/);
  });

  it('a bad URL: one line, exit 2, no stack trace', async () => {
    const { repo } = await setup();
    const result = await runAegis(
      ['migrate', 'apply', '--database-url', 'postgresql://nobody@127.0.0.1:1/x'],
      repo.dir,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^aegis migrate apply: cannot connect to postgresql:\/\/nobody@127\.0\.0\.1:1\/x: connection refused\. [^\n]*\n$/,
    );
  });
});
