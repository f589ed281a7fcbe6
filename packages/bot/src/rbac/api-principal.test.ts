import { parseRbacPolicy } from '@aegis/core';
import type { RbacPolicy } from '@aegis/core';
import { describe, expect, it } from 'vitest';
import { apiPrincipal, tokenCovers } from './api-principal.js';
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
