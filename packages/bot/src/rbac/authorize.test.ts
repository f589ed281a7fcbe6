import { parseRbacPolicy } from '@aegis/core';
import type { RbacActor } from '@aegis/core';
import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../errors.js';
import { auditDenial, refuseUnlessAllowed } from './audit-denial.js';
import type { DenialLog } from './audit-denial.js';
import {
  ACTION_PERMISSIONS,
  authorize,
  rolesOfPrincipal,
  servicePolicy,
  tokenPrincipal,
  userPrincipal,
} from './authorize.js';
import type { Action } from './authorize.js';

const { policy } = parseRbacPolicy(
  '.kiro/rbac.yaml',
  `roles:
  admin: { permissions: ["schema:*", "branch:*", "index:*", "audit:read"] }
  developer: { permissions: [schema:read, schema:write, schema:create, branch:lock, branch:unlock] }
  viewer: { permissions: [schema:read] }
  indexer: { permissions: [branch:lock] }
members:
  "@acme/platform": [admin]
  "@acme/devs": [developer]
  funnel[bot]: [indexer]
owners:
  user-service: ["@acme/identity"]
`,
);

const root: RbacActor = { login: 'root', teams: ['acme/platform'] };
const dave: RbacActor = { login: 'dave', teams: ['acme/devs'] };
const alice: RbacActor = { login: 'alice', teams: ['acme/devs', 'acme/identity'] };
const rita: RbacActor = { login: 'rita', repoPermission: 'read' };
const users = { type: 'schema' as const, name: 'users', owner: 'user-service' };

describe('authorize: a GitHub user under the default branch policy', () => {
  const cases: [string, RbacActor, Action, boolean][] = [
    ['a developer locks', dave, 'command:lock', true],
    ['a developer unlocks', dave, 'command:unlock', true],
    ['a developer may not force-unlock', dave, 'command:force-unlock', false],
    ['an admin force-unlocks', root, 'command:force-unlock', true],
    ['a developer turns auto-merge on', dave, 'command:auto-merge', true],
    ['a developer may not switch a shadow index', dave, 'command:shadow-switch', false],
    ['an admin rolls a shadow index back', root, 'command:shadow-rollback', true],
    ['a reader (GitHub fallback) may not lock', rita, 'command:lock', false],
    ['a developer may not start indexing', dave, 'indexing.started', false],
    ['a developer may not delete a schema', dave, 'change:removed', false],
    ['an admin deletes a schema', root, 'change:removed', true],
  ];
  it.each(cases)('%s', (_, actor, action, allowed) => {
    const d = authorize(userPrincipal(policy, actor), action);
    expect(d.allowed).toBe(allowed);
    expect(d.permission).toBe(ACTION_PERMISSIONS[action]);
    expect(d.action).toBe(action);
  });

  it('needs ownership to change an owned schema, which the admin role bypasses', () => {
    expect(authorize(userPrincipal(policy, dave), 'change:modified', users)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('only @acme/identity may write schema users') as unknown,
    });
    expect(authorize(userPrincipal(policy, alice), 'change:modified', users).allowed).toBe(true);
    expect(authorize(userPrincipal(policy, root), 'change:removed', users).allowed).toBe(true);
  });
});

describe('authorize: an API token or inbound event by its configured roles', () => {
  const cases: [string[], Action, boolean][] = [
    [['indexer'], 'indexing.started', true],
    [['indexer'], 'shadow.switch', true],
    [['indexer'], 'branch.status', true],
    [['indexer'], 'branch.force-unlock', false],
    [['indexer'], 'api:audit', false],
    [['viewer'], 'branch.status', true],
    [['viewer'], 'api:registry', true],
    [['viewer'], 'api:audit', true],
    [['viewer'], 'indexing.started', false],
    [['developer'], 'api:branch-check', true],
    [['developer'], 'shadow.start', false],
    [['admin'], 'branch.force-unlock', true],
    [['admin'], 'dashboard', true],
    [[], 'branch.status', false],
    [['no-such-role'], 'branch.status', false],
    [['viewer', 'indexer'], 'indexing.completed', true],
  ];
  it.each(cases)('roles %j → %s: %s', (roles, action, allowed) => {
    expect(authorize(tokenPrincipal('svc', roles), action).allowed).toBe(allowed);
  });

  it('takes the roles from the token, never from GitHub', () => {
    const p = tokenPrincipal('funnel-service', ['indexer']);
    expect(rolesOfPrincipal(p)).toEqual(['indexer']);
    expect(authorize(p, 'indexing.started').via).toBe('members');
  });

  it("gives a role the repository policy defines exactly the policy's permissions, others the built-in ones", () => {
    const merged = servicePolicy(policy);
    // The repository's indexer is branch:lock only: narrower than the built-in index:*, and it decides.
    expect(merged.roles.get('indexer')?.permissions).toEqual(['branch:lock']);
    expect(authorize(tokenPrincipal('funnel', ['indexer'], merged), 'indexing.started').allowed).toBe(false);
    // The repository's viewer (schema:read only) no longer reads branch states through the API.
    expect(authorize(tokenPrincipal('grafana', ['viewer'], merged), 'branch.status').allowed).toBe(false);
    // A role the policy lacks keeps the built-in permissions (the documented fallback).
    expect(servicePolicy(parseRbacPolicy('r', 'roles: {}\n').policy).roles.get('viewer')?.permissions).toEqual([
      'schema:read',
      'branch:read',
      'audit:read',
    ]);
    expect(servicePolicy()).toBe(servicePolicy(undefined));
  });
});

describe('auditDenial / refuseUnlessAllowed: every refusal is one audit record', () => {
  function log(): DenialLog & { records: Record<string, unknown>[] } {
    const records: Record<string, unknown>[] = [];
    return {
      records,
      appendAudit: async (r) => {
        records.push({ ...r });
        return { id: `audit-${records.length}`, at: '', ...r } as never;
      },
    };
  }

  it('records who, which permission, why and where, as rbac.denied for a command', async () => {
    const audit = log();
    const principal = userPrincipal(policy, dave);
    const decision = authorize(principal, 'command:force-unlock');
    await auditDenial(audit, principal, decision, { repo: 'a/b', branch: 'main', issue: '#200', pr: 10 });
    expect(audit.records).toEqual([
      expect.objectContaining({
        actor: 'dave',
        action: 'rbac.denied',
        resourceType: 'permission',
        resourceId: 'branch:force-unlock',
        issue: '#200',
        new: { action: 'command:force-unlock', pr: 10 },
      }),
    ]);
  });

  it('records an API refusal as api.denied and throws ForbiddenError with a stable code', async () => {
    const audit = log();
    const principal = tokenPrincipal('grafana', ['viewer']);
    const decision = authorize(principal, 'indexing.started');
    const refusal = refuseUnlessAllowed(audit, principal, decision, { repo: 'a/b', branch: 'x', transport: 'api' });
    await expect(refusal).rejects.toBeInstanceOf(ForbiddenError);
    await expect(refusal).rejects.toMatchObject({ code: 'forbidden', message: 'grafana (viewer) lacks index:start' });
    expect(audit.records[0]).toMatchObject({ action: 'api.denied', actor: 'grafana', resourceId: 'index:start' });
  });

  it('lets an allowed decision through without a record, and refuses even when the log is down', async () => {
    const audit = log();
    const admin = tokenPrincipal('ops', ['admin']);
    await refuseUnlessAllowed(audit, admin, authorize(admin, 'branch.force-unlock'), { repo: 'a/b', branch: 'main' });
    expect(audit.records).toEqual([]);
    const down: DenialLog = { appendAudit: async () => Promise.reject(new Error('store down')) };
    const nobody = tokenPrincipal('x', []);
    await expect(
      refuseUnlessAllowed(down, nobody, authorize(nobody, 'dashboard'), { repo: 'a/b', branch: '-' }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });
});
