import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHubPort, gitHubError } from '../test-support/fake-github-port.js';
import { policyRepo } from '../test-support/policy-repo.js';
import type { PolicyRepo } from '../test-support/policy-repo.js';
import { authorize, rolesOfPrincipal } from './authorize.js';
import type { Action } from './authorize.js';
import { ActorResolver } from './resolve-actor.js';
import { resolvePrincipal } from './resolve-principal.js';

const POLICY = `roles:
  admin: { permissions: ["*"] }
  developer: { permissions: [schema:read, schema:write, branch:lock, branch:unlock] }
  indexer: { permissions: ["index:*"] }
members:
  "@acme/platform": [admin]
  "@acme/devs": [developer]
  "funnel-indexer[bot]": [indexer]
`;
const repo = { fullName: 'acme/registry', defaultBranch: 'main' };
let policy: PolicyRepo;

beforeAll(async () => {
  policy = await policyRepo(POLICY);
});
afterAll(() => policy.cleanup());

function github(): FakeGitHubPort {
  const gh = new FakeGitHubPort();
  gh.teams = { 'acme/platform': ['root'], 'acme/devs': ['dave'] };
  gh.permissions = { rita: 'read', wendy: 'write', mia: 'maintain' };
  return gh;
}

describe('resolvePrincipal: a GitHub user (commenter, PR author, dispatch sender) under the default branch policy', () => {
  // login, action, allowed, roles: team members by the policy, a listed bot by name, others by GitHub permission.
  const table: [string, Action, boolean, string[]][] = [
    ['root', 'command:force-unlock', true, ['admin']],
    ['dave', 'command:lock', true, ['developer']],
    ['dave', 'command:force-unlock', false, ['developer']],
    ['funnel-indexer[bot]', 'indexing.started', true, ['indexer']],
    ['funnel-indexer[bot]', 'command:lock', false, ['indexer']],
    ['rita', 'command:lock', false, ['viewer']],
    ['wendy', 'command:auto-merge', true, ['developer']],
    ['mia', 'command:lock', true, ['developer']], // GitHub maintain maps to developer
    ['eve', 'branch.status', false, []],
  ];
  it.each(table)('%s → %s: %s', async (login, action, allowed, roles) => {
    const principal = await resolvePrincipal(
      { mirror: policy.mirror, actors: new ActorResolver() },
      github(),
      repo,
      login,
    );
    expect(principal.name).toBe(login);
    expect(rolesOfPrincipal(principal)).toEqual(roles);
    expect(authorize(principal, action).allowed).toBe(allowed);
  });
});

describe('ActorResolver: GitHub asked once per minute per question', () => {
  it('asks team membership and, only for someone the policy does not list, the repository permission', async () => {
    const gh = github();
    let now = 0;
    const actors = new ActorResolver(() => now, 60_000);
    const deps = { mirror: policy.mirror, actors };
    await resolvePrincipal(deps, gh, repo, 'dave');
    expect(gh.callsOf('permission')).toEqual([]);
    await resolvePrincipal(deps, gh, repo, 'rita');
    await resolvePrincipal(deps, gh, repo, 'rita');
    expect(gh.callsOf('permission')).toEqual([['rita']]);
    now = 60_000;
    await resolvePrincipal(deps, gh, repo, 'rita');
    expect(gh.callsOf('permission')).toEqual([['rita'], ['rita']]);
  });

  it('does not keep a failed answer: the next question asks GitHub again', async () => {
    const gh = github();
    const actors = new ActorResolver();
    gh.failures.permission = gitHubError(502);
    await expect(resolvePrincipal({ mirror: policy.mirror, actors }, gh, repo, 'rita')).rejects.toMatchObject({
      status: 502,
    });
    delete gh.failures.permission;
    const principal = await resolvePrincipal({ mirror: policy.mirror, actors }, gh, repo, 'rita');
    expect(rolesOfPrincipal(principal)).toEqual(['viewer']);
  });
});
