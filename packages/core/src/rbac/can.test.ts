import { describe, expect, it } from 'vitest';
import { can, rolesOf } from './can.js';
import { defaultRbacPolicy } from './default-rbac-policy.js';
import { parseRbacPolicy } from './parse-rbac-policy.js';

const { policy } = parseRbacPolicy(
  '.kiro/rbac.yaml',
  `roles:
  admin: { permissions: ["schema:*", "branch:*", "audit:read"] }
  developer: { permissions: [schema:read, schema:write, schema:create, branch:lock, branch:unlock] }
  viewer: { permissions: [schema:read] }
  indexer: { permissions: [schema:read, "index:*", branch:lock] }
members:
  "@acme/platform": [admin]
  "@acme/devs": [developer]
  funnel[bot]: [indexer]
  mona: [viewer]
owners:
  user-service: ["@acme/identity", alice]
`,
);
const users = { type: 'schema' as const, name: 'users', owner: 'user-service' };

describe('can', () => {
  it('takes roles from members by login and by team, case-insensitively', () => {
    expect(rolesOf(policy, { login: 'Funnel[bot]' })).toEqual({ roles: ['indexer'], via: 'members' });
    expect(rolesOf(policy, { login: 'x', teams: ['ACME/platform', 'acme/devs'] })).toEqual({
      roles: ['admin', 'developer'],
      via: 'members',
    });
  });

  it('falls back to the GitHub permission for users not in members', () => {
    expect(can(policy, { login: 'z', repoPermission: 'admin' }, 'branch:force-unlock').allowed).toBe(true);
    expect(can(policy, { login: 'z', repoPermission: 'write' }, 'branch:lock').allowed).toBe(true);
    expect(can(policy, { login: 'z', repoPermission: 'write' }, 'branch:force-unlock').allowed).toBe(false);
    expect(can(policy, { login: 'z', repoPermission: 'read' }, 'schema:write').allowed).toBe(false);
    const none = can(policy, { login: 'z', repoPermission: 'none' }, 'schema:read');
    expect(none).toMatchObject({ allowed: false, via: 'none', roles: [] });
  });

  it('a members entry wins over the GitHub permission (a repo admin listed as viewer is a viewer)', () => {
    const d = can(policy, { login: 'mona', repoPermission: 'admin' }, 'branch:force-unlock');
    expect(d).toMatchObject({ allowed: false, via: 'members', roles: ['viewer'] });
    expect(d.reason).toContain('does not grant branch:force-unlock');
  });

  it('expands wildcards', () => {
    const admin = { login: 'root', teams: ['acme/platform'] };
    expect(can(policy, admin, 'branch:force-unlock').allowed).toBe(true);
    expect(can(policy, admin, 'index:start').allowed).toBe(false);
    expect(can(policy, { login: 'funnel[bot]' }, 'index:complete').allowed).toBe(true);
  });

  it('needs ownership to write an owned schema, except for admins', () => {
    const dev = { login: 'bob', teams: ['acme/devs'] };
    const denied = can(policy, dev, 'schema:write', users);
    expect(denied.allowed).toBe(false);
    expect(denied.reason).toContain('only @acme/identity, alice may write schema users (owner user-service)');
    expect(can(policy, { ...dev, teams: ['acme/devs', 'acme/identity'] }, 'schema:write', users).allowed).toBe(true);
    expect(can(policy, { login: 'alice', repoPermission: 'write' }, 'schema:write', users).allowed).toBe(true);
    expect(can(policy, { login: 'root', teams: ['acme/platform'] }, 'schema:delete', users).allowed).toBe(true);
    // Reading needs no ownership; a schema whose owner has no entry needs only the role.
    expect(can(policy, dev, 'schema:read', users).allowed).toBe(true);
    expect(can(policy, dev, 'schema:write', { type: 'schema', name: 'x', owner: 'other' }).allowed).toBe(true);
  });

  it('ownership never grants what the role lacks', () => {
    expect(can(policy, { login: 'alice', repoPermission: 'read' }, 'schema:write', users).allowed).toBe(false);
  });

  it('the default policy follows the GitHub permission alone', () => {
    const p = defaultRbacPolicy();
    expect(can(p, { login: 'a', repoPermission: 'admin' }, 'branch:force-unlock').allowed).toBe(true);
    expect(can(p, { login: 'a', repoPermission: 'write' }, 'schema:write', users).allowed).toBe(true);
    expect(can(p, { login: 'a', repoPermission: 'read' }, 'branch:lock').allowed).toBe(false);
  });
});
