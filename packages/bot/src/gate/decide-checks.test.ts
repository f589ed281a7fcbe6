import { checkChange, loadRegistry, memoryFileSource, parseRbacPolicy } from '@aegis/core';
import type { Registry } from '@aegis/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { findLinkedIssue } from '../checks/audit-check.js';
import type { CheckName } from '../checks/check-result.js';
import { PullTooLargeError } from '../checks/pull-too-large.js';
import { aLock, NOW } from '../test-support/a-lock.js';
import { decideChecks } from './decide-checks.js';
import type { GateFacts } from './gather-facts.js';

const USERS = '.kiro/schemas/users.yaml';
const usersYaml = (extra = ''): string =>
  `name: users\nowner: user-service\nversion: 1.0.0\ncolumns:\n  - { name: id, type: UUID, primary_key: true }\n${extra}`;
const { policy } = parseRbacPolicy(
  '.kiro/rbac.yaml',
  'roles:\n  developer: { permissions: [schema:read, schema:write] }\nmembers:\n  alice: [developer]\nowners:\n  user-service: [alice]\n',
);

let head: Registry;
let broken: Registry;
beforeAll(async () => {
  head = await loadRegistry(memoryFileSource({ [USERS]: usersYaml() }));
  broken = await loadRegistry(memoryFileSource({ [USERS]: usersYaml('references:\n  - { schema: nowhere }\n') }));
});

const pull = {
  number: 12,
  headSha: 'a'.repeat(40),
  baseRef: 'main',
  author: 'alice',
  authorType: 'User',
  state: 'open',
};
const repo = { fullName: 'acme/registry', defaultBranch: 'main', htmlUrl: 'https://github.com/acme/registry' };

const contributor = (login: string, ...did: string[]) => ({
  login,
  did: did.length ? did : ['opened the pull request'],
  actor: { login, teams: [] },
});

/** The facts of PR 12 changing `users`, by alice, with a Fixes #7 link; `over` replaces any of them. */
function facts(names: readonly CheckName[], over: Partial<GateFacts> & { body?: string; registry?: Registry } = {}) {
  const registry = over.registry ?? head;
  const body = over.body ?? 'Fixes #7';
  const base: GateFacts = {
    target: { repo, pull: { ...pull, body } },
    names,
    linked: findLinkedIssue(body, /OMS-\d+/),
    issueStatus: 'open',
    change: {
      baseRev: 'b'.repeat(40),
      base: head,
      head: registry,
      changed: [{ status: 'modified', path: USERS, name: 'users', owner: 'user-service', baseOwner: 'user-service' }],
      resources: ['schema:users'],
    },
    policy: {
      checked: checkChange({ base: head, head: registry }),
      policy,
      policyProblems: 0,
      policyEdited: false,
    },
    contributors: { contributors: [contributor('alice')], unmapped: [] },
    verdict: { kind: 'verdict', state: 'ACTIVE', locks: [], now: NOW },
  };
  return { ...base, ...over };
}

const decideOne = (name: CheckName, over: Parameters<typeof facts>[1] = {}) =>
  decideChecks(facts([name], over), /OMS-\d+/)[0]!;

describe('decideChecks', () => {
  const locked = (...locks: ReturnType<typeof aLock>[]) => ({
    verdict: { kind: 'verdict' as const, state: 'ACTIVE' as const, locks, now: NOW },
  });
  it.each<[string, CheckName, () => Parameters<typeof facts>[1], 'success' | 'failure', string]>([
    ['a linked issue that exists passes audit', 'aegis/audit', () => ({}), 'success', 'Linked to #7'],
    ['a configured key links too', 'aegis/audit', () => ({ body: 'for OMS-12' }), 'success', 'Linked to OMS-12'],
    ['no link fails audit', 'aegis/audit', () => ({ body: 'no link' }), 'failure', 'No linked issue'],
    [
      'a link to a missing issue fails audit',
      'aegis/audit',
      () => ({ issueStatus: 'missing' }),
      'failure',
      'not exist',
    ],
    ['a valid head passes validate', 'aegis/validate', () => ({}), 'success', '1 schema files valid'],
    ['an unknown reference fails validate', 'aegis/validate', () => ({ registry: broken }), 'failure', '2 errors'],
    ['an owner may change their schema', 'aegis/rbac', () => ({}), 'success', 'alice may make every change'],
    ['an unlocked branch passes freeze', 'aegis/freeze', () => ({}), 'success', 'main is open for these changes'],
    [
      "another holder's lock on a changed schema fails freeze",
      'aegis/freeze',
      () => locked(aLock('schema:users', { holder: 'bob' })),
      'failure',
      'Frozen: 1 lock on main',
    ],
    [
      "the PR's own lock does not block it",
      'aegis/freeze',
      () => locked(aLock('schema:users', { pr: 12 })),
      'success',
      'main is open',
    ],
    [
      'a lock on a schema the PR does not change does not block it',
      'aegis/freeze',
      () => locked(aLock('schema:orders', { holder: 'bob' })),
      'success',
      'main is open',
    ],
    [
      'an unreachable lock store fails freeze closed',
      'aegis/freeze',
      () => ({ verdict: { kind: 'unreachable', correlationId: '0123456789abcdef' } }),
      'failure',
      'Lock store unreachable',
    ],
  ])('%s', (_, name, over, conclusion, title) => {
    const result = decideOne(name, over());
    expect(result).toMatchObject({ name, conclusion });
    expect(result.title).toContain(title);
  });

  it('denies a user who owns nothing, naming what they may not change', () => {
    const mallory = {
      ...contributor('mallory'),
      actor: { login: 'mallory', teams: [], repoPermission: 'read' as const },
    };
    const result = decideOne('aegis/rbac', { contributors: { contributors: [mallory], unmapped: [] } });
    expect(result).toMatchObject({ conclusion: 'failure', title: 'mallory may not make 1 of 1 changes' });
  });

  it("judges every contributor: mallory's push onto alice's PR is refused, naming her push (#14)", () => {
    const mallory = contributor('mallory', 'pushed abc1234');
    const result = decideOne('aegis/rbac', {
      contributors: { contributors: [contributor('alice'), mallory], unmapped: [] },
    });
    expect(result).toMatchObject({ conclusion: 'failure', title: 'mallory may not make 1 of 1 changes' });
    expect(result.summary).toContain('- ❌ mallory (pushed abc1234) may not schema:write `users`');
  });

  it('answers one result per name, in the order asked', () => {
    const names: CheckName[] = ['aegis/freeze', 'aegis/audit', 'aegis/validate', 'aegis/rbac'];
    expect(decideChecks(facts(names)).map((r) => r.name)).toEqual(names);
  });

  it.each<[string, unknown, string]>([
    [
      'a mirror failure',
      new Error('fatal: bad object\nmore'),
      'could not be read from the repository mirror: fatal: bad object',
    ],
    ['a GitHub refusal', Object.assign(new Error('Forbidden'), { status: 403 }), 'GitHub answered 403'],
  ])('says the real cause of %s on every check that needed the PR, and still decides audit', (_, error, cause) => {
    const results = decideChecks(
      facts(['aegis/validate', 'aegis/rbac', 'aegis/audit', 'aegis/freeze'], {
        failure: { error },
      }),
    );
    for (const r of results.filter((x) => x.name !== 'aegis/audit')) {
      expect(r).toMatchObject({ conclusion: 'failure', title: 'Aegis could not read this pull request' });
      expect(r.summary).toContain(cause);
    }
    expect(results.find((r) => r.name === 'aegis/audit')?.conclusion).toBe('success');
  });

  it('passes validate, rbac and freeze of a change beside the registry as "No registry change", audit as always', () => {
    const names: CheckName[] = ['aegis/validate', 'aegis/rbac', 'aegis/audit', 'aegis/freeze'];
    const gathered = { change: undefined, policy: undefined, verdict: undefined, registryNeed: 'unchanged' as const };
    const results = decideChecks(facts(names, { ...gathered, body: 'no link' }));
    expect(results.map((r) => [r.name, r.conclusion, r.title])).toEqual([
      ['aegis/validate', 'success', 'No registry change'],
      ['aegis/rbac', 'success', 'No registry change'],
      ['aegis/audit', 'failure', results[2]!.title],
      ['aegis/freeze', 'success', 'No registry change'],
    ]);
  });

  it('decides nothing in a repository without a registry: no check run at all', () => {
    const names: CheckName[] = ['aegis/validate', 'aegis/audit'];
    expect(decideChecks(facts(names, { change: undefined, registryNeed: 'absent' }))).toEqual([]);
  });

  it('fails every check of a pull request over the size limit with the limit', () => {
    const [result] = decideChecks(facts(['aegis/rbac'], { failure: { error: new PullTooLargeError(5000) } }));
    expect(result?.title).toMatch(/^Too many schema files: 5000/);
  });

  it('refuses to decide a check whose facts were not gathered (a gathering bug, never a silent pass)', () => {
    expect(() => decideChecks(facts(['aegis/freeze'], { verdict: undefined }))).toThrow(/lock store's verdict/);
    expect(() => decideChecks(facts(['aegis/rbac'], { policy: undefined }))).toThrow(/policy facts/);
    expect(() => decideChecks(facts(['aegis/validate'], { change: undefined }))).toThrow(/change/);
  });
});
