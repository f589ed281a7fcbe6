import { afterEach, describe, expect, it } from 'vitest';
import { runAegis } from '../helpers/run-aegis.js';
import { tempDir } from '../helpers/temp-dir.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

const table = (name: string, ref?: { schema: string; fk: string }) => `name: ${name}
owner: ${name}-service
version: 1.0.0
columns:
  - name: id
    type: UUID
    primary_key: true
${ref ? `  - name: ${ref.fk}\n    type: UUID\n    nullable: true\nreferences:\n  - schema: ${ref.schema}\n    column: id\n    foreign_key: ${ref.fk}\n` : ''}`;

/** teams → users → teams (a cycle), and audit → users. */
async function cyclic(): Promise<string> {
  const { dir, cleanup } = await tempDir({
    '.kiro/schemas/users.yaml': table('users', { schema: 'teams', fk: 'team_id' }),
    '.kiro/schemas/teams.yaml': table('teams', { schema: 'users', fk: 'lead_id' }),
    '.kiro/schemas/audit.yaml': table('audit', { schema: 'users', fk: 'user_id' }),
    '.kiro/schemas/tags.yaml': table('tags'),
  });
  cleanups.push(cleanup);
  return dir;
}

describe('aegis order and aegis graph (issue 16)', () => {
  it('aegis order on a cyclic registry names the cycle and the deferred foreign keys, and exits 1', async () => {
    const cwd = await cyclic();
    const text = await runAegis(['order'], cwd);
    expect(text.code).toBe(1);
    expect(text.stdout).toBe(
      '1. tags (tags-service)\n2. teams (teams-service)\n3. users (users-service)\n4. audit (audit-service)\n',
    );
    expect(text.stderr).toContain(
      'cycle: teams → users → teams: these tables cannot all be created with their foreign keys',
    );
    expect(text.stderr).toContain('  teams.lead_id → users.id');
    expect(text.stderr).not.toContain('users.team_id');
    const json = await runAegis(['order', '--format', 'json'], cwd);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      cycles: [['teams', 'users', 'teams']],
      deferred: [{ schema: 'teams', foreignKey: 'lead_id', references: 'users', column: 'id' }],
    });
  });

  it('aegis order on an acyclic registry exits 0 with nothing deferred', async () => {
    const { dir, cleanup } = await tempDir({
      '.kiro/schemas/users.yaml': table('users'),
      '.kiro/schemas/audit.yaml': table('audit', { schema: 'users', fk: 'user_id' }),
    });
    cleanups.push(cleanup);
    const out = await runAegis(['order', '--format', 'json'], dir);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ cycles: [], deferred: [] });
  });

  it('aegis graph prints the forward dependency graph (seed 003 get_dependency_graph)', async () => {
    const cwd = await cyclic();
    const text = await runAegis(['graph'], cwd);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(
      'audit depends on: users\ntags depends on: nothing\nteams depends on: users\nusers depends on: teams\n',
    );
    const json = await runAegis(['graph', '--format', 'json'], cwd);
    expect(JSON.parse(json.stdout)).toEqual({
      graph: { audit: ['users'], tags: [], teams: ['users'], users: ['teams'] },
    });
  });
});
