import { parseRbacPolicy } from '@aegis/core';
import type { RbacPolicy } from '@aegis/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHubPort } from '../test-support/fake-github-port.js';
import { policyRepo } from '../test-support/policy-repo.js';
import type { PolicyRepo } from '../test-support/policy-repo.js';
import { apiPrincipal, mirrorPolicyLoader, RepoPolicies, tokenCovers } from './api-principal.js';
import { authorize, rolesOfPrincipal } from './authorize.js';
import type { Action } from './authorize.js';

const POLICY = `roles:
  indexer: { permissions: [branch:read, index:start] }
  auditor: { permissions: [audit:read] }
`;
const { policy } = parseRbacPolicy('.kiro/rbac.yaml', POLICY);
const fixed = { of: async (): Promise<RbacPolicy | undefined> => policy };
const none = { of: async (): Promise<RbacPolicy | undefined> => undefined };

describe('apiPrincipal: a token holder judged by the policy of the repository it acts on', () => {
  // identity roles, scope, repository asked about, policy known?, action, allowed
  const table: [string[], string[] | undefined, string | undefined, boolean, Action, boolean][] = [
    [['indexer'], undefined, 'acme/registry', true, 'indexing.started', true],
    [['indexer'], undefined, 'acme/registry', true, 'indexing.completed', false], // the policy's indexer lacks index:complete
    [['indexer'], undefined, 'acme/registry', false, 'indexing.completed', true], // no policy: built-in index:*
    [['indexer'], undefined, undefined, true, 'indexing.completed', true], // no repository named: built-in roles
    [['auditor'], undefined, 'acme/registry', true, 'api:audit', true],
    [['auditor'], undefined, 'acme/registry', false, 'api:audit', false], // unknown without the policy
    [['viewer'], undefined, 'acme/registry', true, 'branch.status', true], // the policy lacks viewer: built-in
    [['admin'], ['acme/other'], 'acme/registry', true, 'branch.status', false], // scoped elsewhere
    [['admin'], ['Acme/Registry'], 'acme/registry', true, 'branch.force-unlock', true], // names compare case-blind
    [['admin'], ['acme/registry'], undefined, true, 'branch.status', false], // a scoped token must name its repo
  ];
  it.each(table)(
    'roles %j scope %j in %s (policy %s): %s → %s',
    async (roles, repositories, repo, known, action, allowed) => {
      const identity = { name: 'svc', roles, ...(repositories ? { repositories } : {}) };
      const principal = await apiPrincipal(known ? fixed : none, identity, repo);
      expect(principal.name).toBe('svc');
      expect(authorize(principal, action).allowed).toBe(allowed);
    },
  );

  it('a token outside its scope holds no role at all', async () => {
    const p = await apiPrincipal(fixed, { name: 'x', roles: ['indexer'], repositories: ['a/b'] }, 'c/d');
    expect(rolesOfPrincipal(p)).toEqual([]);
    expect(tokenCovers({}, undefined)).toBe(true);
    expect(tokenCovers({ repositories: [] }, 'a/b')).toBe(false);
  });
});

describe('RepoPolicies: one read per repository per minute, the last good one when a read fails', () => {
  it('caches by repository (case-blind) until the TTL passes', async () => {
    let now = 0;
    const reads: string[] = [];
    const policies = new RepoPolicies(
      async (repo) => (reads.push(repo), policy),
      () => now,
      60_000,
    );
    await policies.of('acme/registry');
    await policies.of('ACME/registry');
    expect(reads).toEqual(['acme/registry']);
    now = 60_000;
    await policies.of('acme/registry');
    expect(reads).toHaveLength(2);
  });

  it('keeps the last policy read while reads fail, and reports each failure', async () => {
    let now = 0;
    let fail = false;
    const errors: string[] = [];
    const policies = new RepoPolicies(
      async () => (fail ? Promise.reject(new Error('github down')) : policy),
      () => now,
      1000,
      (err, repo) => errors.push(`${repo}: ${(err as Error).message}`),
    );
    expect(await policies.of('a/b')).toBe(policy);
    fail = true;
    now = 5000;
    expect(await policies.of('a/b')).toBe(policy);
    expect(await policies.of('c/d')).toBeUndefined();
    expect(errors).toEqual(['a/b: github down', 'c/d: github down']);
    fail = false;
    expect(await policies.of('c/d')).toBe(policy); // a failed read is not cached
  });
});

describe('mirrorPolicyLoader: the default branch of the repository, through the mirror', () => {
  let repo: PolicyRepo;
  beforeAll(async () => {
    repo = await policyRepo(POLICY);
  });
  afterAll(() => repo.cleanup());

  it('reads .kiro/rbac.yaml at the default branch with the installation token', async () => {
    const gh = new FakeGitHubPort();
    const syncs: unknown[][] = [];
    const load = mirrorPolicyLoader({
      github: async (name) => (name === 'acme/registry' ? { gh, info: { defaultBranch: 'main' } } : undefined),
      bot: { mirror: { sync: async (...args: unknown[]) => (syncs.push(args), repo.dir) } },
    });
    expect((await load('acme/registry'))?.roles.get('auditor')?.permissions).toEqual(['audit:read']);
    expect(syncs).toEqual([['acme/registry', expect.any(Function), { branches: ['main'] }]]);
    // The token is fetched when the mirror runs the job, not when it is queued (#15).
    expect(await (syncs[0]![1] as () => Promise<string>)()).toBe('installation-token');
    expect(await load('acme/elsewhere')).toBeUndefined();
  });
});
