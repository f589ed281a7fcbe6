import { beforeAll, describe, expect, it } from 'vitest';
import type { TestPull } from '../helpers/fake-github/webhooks.js';
import { addColumn, callApi, startApiHarness, TOKENS } from './api-harness.js';
import { useHarness } from '../bot/use-harness.js';

/**
 * Issue 16 item 8, seed 000 scenario 2 in git-native form: the resources a PR writes come from its diff (a
 * table, its columns, references and indexes), so "an admin locks index maintenance; a PR changing an index is
 * frozen; a PR adding a column passes" — and a lock on a table still covers everything inside it. aegis/freeze,
 * /lock and the check route agree (signed webhooks, comment commands and the HTTP API of a real app).
 */
describe('locks on resource types from the diff: index maintenance, a table, and the check route', () => {
  const harness = useHarness(startApiHarness);
  let indexPull: TestPull;
  let columnPull: TestPull;
  const freeze = (p: TestPull) => harness().fake.state.latestCheck('aegis/freeze', p.headSha)?.conclusion;
  const check = async (resource: string) =>
    (await callApi(harness().bot.url, TOKENS.viewer, 'GET', `branch-locks/check/main?resources=${resource}`)).status;

  beforeAll(async () => {
    const h = harness();
    const users = await h.repo.git('show', 'main:.kiro/schemas/users.yaml');
    indexPull = await h.openPull(1, {
      author: 'alice',
      body: 'Narrow the activity index.\n\nFixes #11',
      files: {
        '.kiro/schemas/users.yaml': users
          .replace('version: 1.0.0', 'version: 1.1.0')
          .replace('columns: [is_active, deleted_at]', 'columns: [is_active]'),
      },
    });
    columnPull = await h.openPull(2, {
      author: 'dave',
      body: 'Nicknames.\n\nFixes #12',
      files: { '.kiro/schemas/users.yaml': addColumn(users, 'nickname') },
    });
    await h.openSchemaPull(3, {
      schema: 'policies',
      author: 'root',
      body: 'Maintenance ticket.\n\nFixes #13',
      edit: (policies) => addColumn(policies, 'note'),
    });
    expect([freeze(indexPull), freeze(columnPull)]).toEqual(['success', 'success']);
  });

  it('/lock index freezes the PR changing an index and lets the PR adding a column through', async () => {
    const h = harness();
    expect(await h.comment(3, 'root', '/lock index --reason "index maintenance"')).toContain('🔒 Locked');
    await h.fake.waitFor(() => freeze(indexPull) === 'failure', 20_000, 'the index PR frozen');
    expect(h.fake.state.latestCheck('aegis/freeze', indexPull.headSha)?.summary).toContain('index maintenance');
    expect(freeze(columnPull)).toBe('success');
    expect(await check('index:users.idx_users_active')).toBe(423);
    expect(await check('column:users.nickname')).toBe(200);
    expect(await check('schema:users')).toBe(200);
    expect(await h.comment(3, 'root', '/unlock')).toContain('Released');
    await h.fake.waitFor(() => freeze(indexPull) === 'success', 20_000, 'the index PR released');
  });

  it('/lock users (the table) covers its columns and indexes; another table stays writable', async () => {
    const h = harness();
    expect(await h.comment(3, 'root', '/lock users --reason "users table migration"')).toContain('🔒 Locked');
    await h.fake.waitFor(
      () => freeze(columnPull) === 'failure' && freeze(indexPull) === 'failure',
      20_000,
      'both users PRs frozen',
    );
    expect(await check('column:users.nickname')).toBe(423);
    expect(await check('index:users.idx_users_email')).toBe(423);
    expect(await check('column:policies.note')).toBe(200);
    expect(await h.comment(3, 'root', '/unlock')).toContain('Released');
    await h.fake.waitFor(() => freeze(columnPull) === 'success', 20_000, 'the column PR released');
  });

  it('/lock rbac freezes a PR editing the RBAC policy and nothing else', async () => {
    const h = harness();
    const rbac = await h.repo.git('show', 'main:.kiro/rbac.yaml');
    const policyPull = await h.openPull(4, {
      author: 'root',
      body: 'Policy review.\n\nFixes #14',
      files: { '.kiro/rbac.yaml': `${rbac}\n# reviewed for the audit\n` },
    });
    expect(freeze(policyPull)).toBe('success');
    expect(await h.comment(3, 'root', '/lock rbac --reason "policy freeze"')).toContain('🔒 Locked');
    await h.fake.waitFor(() => freeze(policyPull) === 'failure', 20_000, 'the policy PR frozen');
    expect([freeze(indexPull), freeze(columnPull)]).toEqual(['success', 'success']);
    expect(await check('rbac:policy')).toBe(423);
    expect(await h.comment(3, 'root', '/unlock')).toContain('Released');
  });
});
