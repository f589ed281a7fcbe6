import type { RbacPolicy, RbacRole } from './rbac-policy.js';

const NO_RANGE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function role(name: string, permissions: string[]): [string, RbacRole] {
  return [name, { name, permissions, range: NO_RANGE }];
}

/**
 * The policy used when a repository has no `.kiro/rbac.yaml`: the three fallback roles, no members and no
 * owners, so every decision comes from the GitHub repository permission.
 */
export function defaultRbacPolicy(file = '.kiro/rbac.yaml'): RbacPolicy {
  return {
    file,
    roles: new Map([
      role('admin', ['*']),
      role('developer', [
        'schema:read',
        'schema:write',
        'schema:create',
        'branch:lock',
        'branch:unlock',
        'proposal:create',
      ]),
      role('viewer', ['schema:read', 'audit:read']),
    ]),
    members: [],
    owners: new Map(),
  };
}
