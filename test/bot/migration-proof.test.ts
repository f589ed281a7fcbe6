import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from './harness.js';
import { ADMIN_URL as SERVER } from '../helpers/postgres-admin.js';

/** Adds a nullable column to users and bumps its version: a compatible change. */
function addNickname(users: string): string {
  return users
    .replace('version: 1.0.0', 'version: 1.1.0')
    .replace('columns:\n', 'columns:\n  - name: nickname\n    type: VARCHAR(50)\n    nullable: true\n\n');
}

describe('aegis/validate proves the migration when the app has a verification database', () => {
  const harnesses: Harness[] = [];
  afterEach(async () => {
    for (const h of harnesses.splice(0)) {
      expect(h.fake.unexpected()).toEqual([]);
      await h.close();
    }
  });

  /** Starts the app with `env`, opens PR #1 adding a nullable column to users, and gives its aegis/validate run. */
  async function validateOfNicknamePull(env: NodeJS.ProcessEnv) {
    const h = await Harness.start(env);
    harnesses.push(h);
    const pull = await h.openSchemaPull(1, {
      schema: 'users',
      body: 'Fixes #100',
      edit: (users) => addNickname(users),
    });
    return h.fake.state.latestCheck('aegis/validate', pull.headSha)!;
  }

  it('runs the change on a throwaway database and says it reaches the head tables', async () => {
    const validate = await validateOfNicknamePull({ AEGIS_VERIFY_DATABASE_URL: SERVER });
    expect(validate.conclusion).toBe('success');
    expect(validate.summary).toMatch(
      /### Migration\n\n✅ The migration \(\d+ statements?\) was proven on a throwaway PostgreSQL database/,
    );
  });

  it('fails closed, saying why, when the verification server cannot be reached', async () => {
    const validate = await validateOfNicknamePull({
      AEGIS_VERIFY_DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none',
    });
    expect(validate.conclusion).toBe('failure');
    expect(validate.title).toBe('The migration does not prove out on PostgreSQL');
    expect(validate.summary).toMatch(/❌ The migration could not be proven: .*127\.0\.0\.1:1/);
  });
});
