import { describe, expect, it } from 'vitest';
import { parseRbacPolicy } from './parse-rbac-policy.js';

/** 0-based line of the first line containing `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`not found: ${needle}`);
  return i;
}

const GOOD = `roles:
  admin:
    permissions: ["schema:*", "branch:*"]
  developer:
    permissions: [schema:read, schema:write, branch:lock]
members:
  "@acme/platform": [admin]
  octocat: [developer]
  funnel-indexer[bot]: [developer]
owners:
  user-service: ["@acme/identity"]
`;

describe('parseRbacPolicy', () => {
  it('reads roles, members and owners with no diagnostics', () => {
    const { policy, diagnostics } = parseRbacPolicy('.kiro/rbac.yaml', GOOD);
    expect(diagnostics).toEqual([]);
    expect([...policy.roles.keys()]).toEqual(['admin', 'developer']);
    expect(policy.roles.get('developer')?.permissions).toEqual(['schema:read', 'schema:write', 'branch:lock']);
    expect(policy.members.map((m) => [m.subject, m.roles])).toEqual([
      ['@acme/platform', ['admin']],
      ['octocat', ['developer']],
      ['funnel-indexer[bot]', ['developer']],
    ]);
    expect(policy.owners.get('user-service')?.writers).toEqual(['@acme/identity']);
    expect(policy.members[1]?.range.start).toEqual({ line: lineOf(GOOD, 'octocat'), character: 2 });
  });

  it('reports unknown permissions, unknown roles, malformed members and unwritable owners on their lines', () => {
    const text = `roles:
  developer:
    permissions: [schema:write, schema:fly, "*"]
members:
  octocat: [developer, superuser]
  "not a login!": [developer]
owners:
  user-service: []
  policy-service: ["@acme/policy", "bad team/"]
colour: blue
`;
    const { policy, diagnostics } = parseRbacPolicy('.kiro/rbac.yaml', text);
    const at = diagnostics.map((d) => [d.code, d.range.start.line]);
    expect(at).toEqual(
      expect.arrayContaining([
        ['rbac-unknown-permission', lineOf(text, 'schema:fly')],
        ['rbac-unknown-role', lineOf(text, 'superuser')],
        ['rbac-invalid-member', lineOf(text, 'not a login')],
        ['rbac-owner-unwritable', lineOf(text, 'user-service')],
        ['rbac-invalid-member', lineOf(text, 'bad team/')],
        ['rbac-invalid-field', lineOf(text, 'colour')],
      ]),
    );
    expect(diagnostics).toHaveLength(6);
    const fly = diagnostics.find((d) => d.code === 'rbac-unknown-permission');
    expect(text.split('\n')[fly!.range.start.line]!.slice(fly!.range.start.character)).toMatch(/^schema:fly/);
    // What is invalid grants nothing.
    expect(policy.roles.get('developer')?.permissions).toEqual(['schema:write', '*']);
    expect(policy.members.map((m) => m.subject)).toEqual(['octocat']);
    expect(policy.members[0]?.roles).toEqual(['developer']);
  });

  it('reports a YAML syntax error with its line and grants nothing', () => {
    const text = 'roles:\n  admin:\n    permissions: [schema:*\nmembers: {}\n';
    const { policy, diagnostics } = parseRbacPolicy('.kiro/rbac.yaml', text);
    expect(diagnostics[0]?.code).toBe('yaml-syntax');
    expect(policy.roles.size).toBe(0);
  });

  it('rejects a role without a permissions list', () => {
    const text = 'roles:\n  admin:\n    perms: [schema:read]\n';
    const codes = parseRbacPolicy('r.yaml', text).diagnostics.map((d) => [d.code, d.range.start.line]);
    expect(codes).toEqual([
      ['rbac-invalid-field', lineOf(text, 'perms')],
      ['rbac-invalid-field', lineOf(text, 'admin')],
    ]);
  });
});

describe('the example policy of this repository', () => {
  it('parses clean', async () => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(new URL('../../../../.kiro/rbac.yaml', import.meta.url), 'utf8');
    expect(parseRbacPolicy('.kiro/rbac.yaml', text).diagnostics).toEqual([]);
  });
});

describe('parseRbacPolicy: seed 004 matrix form', () => {
  it('reads top-level permissions per role and the family:a,b shorthand; refuses unknown actions in it', () => {
    const text = `permissions:
  developer:
    - schema:read,write
    - branch:lock,fly
roles:
  admin: { permissions: ["*"] }
  developer: { permissions: [schema:read] }
`;
    const { policy, diagnostics } = parseRbacPolicy('.kiro/rbac.yaml', text);
    expect(diagnostics.map((d) => [d.code, d.severity, d.message, d.range.start.line])).toEqual([
      [
        'rbac-invalid-field',
        'error',
        'role "developer" is defined under both roles and permissions',
        lineOf(text, '  developer:'),
      ],
    ]);
    const matrix = parseRbacPolicy('m.yaml', text.slice(0, text.indexOf('roles:')));
    expect(matrix.policy.roles.get('developer')?.permissions).toEqual(['schema:read', 'schema:write', 'branch:lock']);
    expect(matrix.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['rbac-unknown-permission', 'unknown permission "branch:fly" in role "developer"'],
    ]);
    expect(policy.roles.get('developer')?.permissions).toEqual(['schema:read']);
  });
});
