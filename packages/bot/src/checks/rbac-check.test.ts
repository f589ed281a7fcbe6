import { parseRbacPolicy } from '@aegis/core';
import { describe, expect, it } from 'vitest';
import { rbacCheck } from './rbac-check.js';

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

describe('rbacCheck', () => {
  it('needs ownership on both sides: moving a schema to a service you own does not dodge its owners', () => {
    const billing = { login: 'bo', teams: ['acme/devs', 'acme/billing'] };
    const moved = rbacCheck(policy, billing, [change('billing-service', 'user-service')], false);
    expect(moved.conclusion).toBe('failure');
    expect(moved.summary).toContain('(owner user-service)');
    expect(moved.summary).toContain('only @acme/identity may write');
    expect(rbacCheck(policy, billing, [change('billing-service')], false).conclusion).toBe('success');
  });

  it('lets admins change anything, including the policy, and nobody else edit the policy', () => {
    expect(rbacCheck(policy, { login: 'root' }, [change('user-service')], true).conclusion).toBe('success');
    const dev = rbacCheck(policy, { login: 'ann', teams: ['acme/devs', 'acme/identity'] }, [], true);
    expect(dev).toMatchObject({ conclusion: 'failure', title: 'ann may not make 1 of 1 changes' });
    expect(dev.summary).toContain('only admin may change the policy');
  });

  it('says when the default branch policy has problems', () => {
    const r = rbacCheck(policy, { login: 'root' }, [change('user-service')], false, 2);
    expect(r.summary).toContain('That file has 2 problems');
  });
});
