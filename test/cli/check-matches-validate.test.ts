import type { Diagnostic } from '@aegis/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotContext } from '../../packages/bot/src/bot-context.js';
import type { CheckAnnotation } from '../../packages/bot/src/checks/check-result.js';
import { toAnnotations } from '../../packages/bot/src/checks/to-annotations.js';
import { validateCheck } from '../../packages/bot/src/checks/validate-check.js';
import type { PullInfo } from '../../packages/bot/src/github.js';
import { checkPull, pullChange } from '../../packages/bot/src/gate/read-pull.js';
import { ParseCache } from '../../packages/bot/src/mirror/parse-cache.js';
import { createGitRepo, type GitRepo } from '../helpers/git-repo.js';
import { runAegis } from '../helpers/run-aegis.js';

const users = (version: string, columns: string[]): string =>
  [`name: users`, 'owner: user-service', `version: ${version}`, 'columns:', ...columns].join('\n') + '\n';
const ID = '  - { name: id, type: UUID, primary_key: true }';
const EMAIL = '  - { name: email, type: VARCHAR(255), unique: true }';
const orders = (target: string): string =>
  [
    'name: orders',
    'owner: order-service',
    'version: 1.0.0',
    'columns:',
    ID,
    '  - { name: user_id, type: UUID }',
    'references:',
    `  - { schema: ${target}, column: id, foreign_key: user_id }`,
  ].join('\n') + '\n';
const policy = (role: string): string =>
  `roles:\n  developer:\n    permissions: ["schema:write"]\nmembers:\n  alice: [${role}]\n`;

/**
 * "What the CLI reports = what the PR check reports", on one real repository: `aegis check --format json`
 * (the built CLI over a clone) and `aegis/validate` (the app's reading of its mirror, then the check) must
 * name the same diagnostics — validation, the diff's own and an edited policy's.
 */
describe('aegis check and aegis/validate', () => {
  let repo: GitRepo;
  let headSha: string;

  beforeAll(async () => {
    repo = await createGitRepo({
      files: {
        '.kiro/schemas/users.yaml': users('1.0.0', [ID, EMAIL]),
        '.kiro/schemas/orders.yaml': orders('users'),
        '.kiro/rbac.yaml': policy('developer'),
      },
    });
    await repo.branch('feature');
    headSha = await repo.commit('a change with something of every kind wrong', {
      // A removed column without a major bump: breaking-change and version-not-bumped.
      '.kiro/schemas/users.yaml': users('1.1.0', [ID]),
      // A reference to a schema that does not exist: a validation error.
      '.kiro/schemas/orders.yaml': orders('customers'),
      // No primary key: a warning.
      '.kiro/schemas/notes.yaml':
        'name: notes\nowner: note-service\nversion: 1.0.0\ncolumns:\n  - { name: body, type: TEXT }\n',
      // An edited policy naming a role it does not define.
      '.kiro/rbac.yaml': policy('maintainer'),
    });
    await repo.checkout('main');
  });
  afterAll(() => repo.cleanup());

  it('report the same diagnostics for the same change', async () => {
    const cli = await runAegis(['check', '--base', 'main', '--ref', 'feature', '--format', 'json'], repo.dir);
    expect(cli.code).toBe(1);
    const printed = (JSON.parse(cli.stdout) as { diagnostics: Diagnostic[] }).diagnostics;

    const pull: PullInfo = {
      number: 1,
      headSha,
      baseRef: 'main',
      body: null,
      author: 'alice',
      authorType: 'User',
      state: 'open',
    };
    // The app reads its mirror; a clone is the same kind of git directory.
    const bot = { cache: new ParseCache() } as BotContext;
    const change = await pullChange(bot, repo.dir, pull);
    const { checked, policyEdited } = await checkPull(repo.dir, change, headSha);
    const check = validateCheck({ head: change.head, checked, changed: change.changed });

    expect(policyEdited).toBe(true);
    expect(check.conclusion).toBe('failure');
    const key = (a: CheckAnnotation): string => `${a.path}:${a.start_line} ${a.title ?? ''} ${a.message}`;
    expect(check.annotations.map(key).sort()).toEqual(toAnnotations(printed).map(key).sort());
    expect(new Set(printed.map((d) => d.code))).toEqual(
      new Set(['breaking-change', 'version-not-bumped', 'unknown-schema', 'missing-primary-key', 'rbac-unknown-role']),
    );
  });
});
