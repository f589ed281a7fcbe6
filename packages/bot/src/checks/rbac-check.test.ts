import { parseRbacPolicy } from '@aegis/core';
import type { RbacActor } from '@aegis/core';
import { describe, expect, it } from 'vitest';
import type { ContributorFacts, JudgedContributor } from '../rbac/pull-contributors.js';
import { rbacCheck } from './rbac-check.js';
import type { RbacJudgement } from './rbac-check.js';

const { policy } = parseRbacPolicy(
  '.kiro/rbac.yaml',
  `roles:
  admin: { permissions: ["*"] }
  developer: { permissions: [schema:read, schema:write, schema:create] }
members:
  "@acme/devs": [developer]
  root: [admin]
owners:
  user-service: ["@acme/identity"]
  billing-service: ["@acme/billing"]
`,
);
const change = (owner: string, baseOwner = owner) => ({
  status: 'modified' as const,
  path: '.kiro/schemas/users.yaml',
  name: 'users',
  owner,
  baseOwner,
});

// alice owns users (identity); mallory is a developer who owns nothing; root is admin; rita has no role.
const ACTORS: Record<string, RbacActor> = {
  alice: { login: 'alice', teams: ['acme/devs', 'acme/identity'] },
  mallory: { login: 'mallory', teams: ['acme/devs'] },
  bo: { login: 'bo', teams: ['acme/devs', 'acme/billing'] },
  root: { login: 'root' },
  rita: { login: 'rita', teams: [], repoPermission: 'read' },
};
const who = (login: string, ...did: string[]): JudgedContributor => ({
  login,
  did: did.length ? did : ['opened the pull request'],
  actor: ACTORS[login]!,
});
const judge = (
  contributors: JudgedContributor[],
  over: Partial<RbacJudgement> & Partial<Omit<ContributorFacts, 'contributors'>> = {},
) => {
  const { unmapped = [], incomplete, ...rest } = over;
  return rbacCheck({
    policy,
    changed: [change('user-service')],
    policyEdited: false,
    contributors: { contributors, unmapped, ...(incomplete ? { incomplete } : {}) },
    ...rest,
  });
};

describe('rbacCheck: everyone who contributed may make every change', () => {
  it.each<[string, JudgedContributor[], Partial<RbacJudgement>, 'success' | 'failure', string, string[]]>([
    ['the owner alone', [who('alice')], {}, 'success', 'alice may make every change', []],
    [
      "mallory's push onto alice's branch (the attack of #14)",
      [who('alice'), who('mallory', 'pushed abc1234')],
      {},
      'failure',
      'mallory may not make 1 of 1 changes',
      ['- ❌ mallory (pushed abc1234) may not schema:write `users`: mallory has developer'],
    ],
    [
      'a commit author who is not the PR author',
      [who('alice'), who('rita', 'authored def5678')],
      {},
      'failure',
      'rita may not make 1 of 1 changes',
      ['rita (authored def5678) may not schema:write `users`'],
    ],
    [
      'two owners and an admin',
      [who('alice'), who('root', 'committed def5678')],
      {},
      'success',
      'alice, root may make every change',
      ['**root (committed def5678)**'],
    ],
    [
      'moving a schema to a service you own (ownership on both sides)',
      [who('bo')],
      { changed: [change('billing-service', 'user-service')] },
      'failure',
      'bo may not make 1 of 2 changes',
      ['(owner user-service)', 'only @acme/identity may write'],
    ],
    [
      'a policy edit by a non-admin contributor',
      [who('root'), who('alice', 'pushed abc1234')],
      { changed: [], policyEdited: true },
      'failure',
      'alice may not make 1 of 1 changes',
      ['alice (pushed abc1234) may not edit `.kiro/rbac.yaml`: alice has developer; only admin may change the policy'],
    ],
    [
      'nothing to judge',
      [],
      { changed: [], contributors: undefined },
      'success',
      'No schema changed',
      ['Nothing to authorise.'],
    ],
  ])('%s', (_, contributors, over, conclusion, title, inSummary) => {
    const result = judge(contributors, over);
    expect(result).toMatchObject({ name: 'aegis/rbac', conclusion, title });
    for (const text of inSummary) expect(result.summary).toContain(text);
  });

  it('says whose change was refused first, before each contributor’s rows', () => {
    const { summary } = judge([who('alice'), who('mallory', 'pushed abc1234', 'authored abc1234')]);
    expect(summary.indexOf('**Refused**')).toBe(0);
    expect(summary).toContain('**alice (opened the pull request)**\n- ✅ schema:write `users`');
    expect(summary).toContain('**mallory (pushed abc1234, authored abc1234)**\n- ❌ schema:write `users`');
  });

  it('names the commits without a GitHub account and whom each was judged as', () => {
    const unmapped = ['abc1234: no GitHub account has the email of its author X; judged as mallory, who pushed it'];
    const { summary } = judge([who('alice'), who('mallory', 'pushed abc1234')], { unmapped });
    expect(summary).toContain(`**Commits without a GitHub account**\n- ${unmapped[0]}`);
  });

  it('fails closed when the contributors cannot all be known, saying why', () => {
    const result = judge([who('alice')], { incomplete: 'GitHub lists at most 250 commits …' });
    expect(result).toMatchObject({ conclusion: 'failure', title: 'Aegis cannot tell who contributed this change' });
    expect(result.summary).toContain('GitHub lists at most 250 commits');
  });

  it('refuses to decide a change without its contributors (the gate gathers them)', () => {
    expect(() => judge([], { contributors: undefined })).toThrow(/without the contributors/);
  });

  it('says when the default branch policy has problems', () => {
    expect(judge([who('root')], { policyProblems: 2 }).summary).toContain('That file has 2 problems');
  });
});
