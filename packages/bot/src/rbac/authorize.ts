import { can, parseRbacPolicy, rolesOf } from '@aegis/core';
import type { RbacActor, RbacDecision, RbacPolicy, RbacResource } from '@aegis/core';

/**
 * THE action → permission table of the bot (SPEC §4 vocabulary): comment commands, what a pull request
 * changes, the indexing operations of every transport, and the API's read routes. Every authorisation
 * goes through `authorize`, which looks the permission up here and asks core's `can()`.
 */
export const ACTION_PERMISSIONS = {
  // Comment commands (`/status`, `/help` and `/shadow status` need none).
  'command:lock': 'branch:lock',
  'command:unlock': 'branch:unlock',
  'command:force-unlock': 'branch:force-unlock',
  'command:auto-merge': 'schema:write',
  'command:shadow-switch': 'index:switch',
  'command:shadow-rollback': 'index:rollback',
  // What a pull request does to a schema file (`aegis/rbac`).
  'change:added': 'schema:create',
  'change:removed': 'schema:delete',
  'change:modified': 'schema:write',
  'change:renamed': 'schema:write',
  // The indexing-service operations (HTTP API, repository_dispatch, NATS).
  'indexing.started': 'index:start',
  'indexing.completed': 'index:complete',
  'indexing.failed': 'index:complete',
  'indexing.heartbeat': 'index:start',
  'shadow.start': 'index:start',
  'shadow.progress': 'index:start',
  'shadow.complete': 'index:complete',
  'shadow.switch': 'index:switch',
  'shadow.cancel': 'index:start',
  'shadow.fail': 'index:complete',
  'shadow.status': 'branch:read',
  'branch.force-unlock': 'branch:force-unlock',
  'branch.set-state': 'branch:force-unlock',
  'branch.status': 'branch:read',
  'locks.list': 'branch:read',
  dashboard: 'branch:read',
  // The API's read routes that are not operations.
  'api:branch-check': 'branch:read',
  'api:registry': 'schema:read',
  'api:audit': 'audit:read',
} as const;

/** Something a principal may be allowed to do. */
export type Action = keyof typeof ACTION_PERMISSIONS;

/** Someone the bot judges: who they are for the audit, and how core's `can()` sees them under which policy. */
export interface Principal {
  /** The login, token name or sender, as audited. */
  name: string;
  actor: RbacActor;
  /** The policy whose roles (and members, owners) decide. */
  policy: RbacPolicy;
}

/** A decision with the action and the permission it needed. */
export interface Authorization extends RbacDecision {
  action: Action;
  permission: string;
}

/**
 * The built-in service roles: what an API token's or inbound event's role permits when the repository's
 * `.kiro/rbac.yaml` does not define a role of that name (the documented fallback; docs/indexing-api.md).
 */
export const SERVICE_ROLES_YAML = `roles:
  admin: { permissions: ["*"] }
  indexer: { permissions: ["index:*", "branch:read", "schema:read"] }
  developer: { permissions: ["schema:read", "branch:read"] }
  viewer: { permissions: ["schema:read", "branch:read", "audit:read"] }
`;

const SERVICE_POLICY: RbacPolicy = parseRbacPolicy('<service roles>', SERVICE_ROLES_YAML).policy;

/**
 * The roles of API tokens in a repository: each role its `.kiro/rbac.yaml` defines has exactly the
 * permissions written there (an admin changes what the indexer may do in one place, narrower or wider);
 * a role it does not define keeps its built-in permissions.
 */
export function servicePolicy(repoPolicy?: RbacPolicy): RbacPolicy {
  if (!repoPolicy) return SERVICE_POLICY;
  return { ...SERVICE_POLICY, roles: new Map([...SERVICE_POLICY.roles, ...repoPolicy.roles]) };
}

/** A GitHub user (PR author, commenter, dispatch sender) under the default branch's policy. */
export function userPrincipal(policy: RbacPolicy, actor: RbacActor): Principal {
  return { name: actor.login, actor, policy };
}

/** An API token holder or an inbound event's sender: the roles it was configured with, nothing from GitHub. */
export function tokenPrincipal(name: string, roles: readonly string[], policy: RbacPolicy = SERVICE_POLICY): Principal {
  const at = { line: 0, character: 0 };
  const member = { subject: name, roles: [...roles], range: { start: at, end: at } };
  return { name, actor: { login: name }, policy: { ...policy, members: [member] } };
}

/** The roles a principal holds (for messages and `whoami`). */
export function rolesOfPrincipal(principal: Principal): string[] {
  return rolesOf(principal.policy, principal.actor).roles;
}

/** May `principal` do `action` (on `resource`)? The one authorisation decision of the bot. */
export function authorize(principal: Principal, action: Action, resource?: RbacResource): Authorization {
  const permission = ACTION_PERMISSIONS[action];
  return { ...can(principal.policy, principal.actor, permission, resource), action, permission };
}
