import { permissionMatches } from './permissions.js';
import type { RbacActor, RbacDecision, RbacPolicy, RbacResource, RepoPermission } from './rbac-policy.js';

/** The role a user with no `members` entry gets from their GitHub repository permission. */
const FALLBACK_ROLE: Readonly<Record<RepoPermission, string | undefined>> = {
  admin: 'admin',
  maintain: 'developer',
  write: 'developer',
  triage: 'viewer',
  read: 'viewer',
  none: undefined,
};

/** Schema permissions that also need ownership of the schema's `owner` service. */
const OWNED = new Set(['schema:write', 'schema:create', 'schema:delete']);

/** The role that bypasses ownership ("who may write its schemas, besides admins"). */
export const ADMIN_ROLE = 'admin';

function matchesSubject(subject: string, actor: RbacActor): boolean {
  if (subject.startsWith('@')) {
    const team = subject.slice(1).toLowerCase();
    return (actor.teams ?? []).some((t) => t.toLowerCase() === team);
  }
  return subject.toLowerCase() === actor.login.toLowerCase();
}

/** The roles that apply to an actor: from `members` when any entry names them, else the GitHub fallback. */
export function rolesOf(policy: RbacPolicy, actor: RbacActor): Pick<RbacDecision, 'roles' | 'via'> {
  const listed = policy.members.filter((m) => matchesSubject(m.subject, actor));
  if (listed.length > 0) return { roles: [...new Set(listed.flatMap((m) => m.roles))].sort(), via: 'members' };
  const fallback = FALLBACK_ROLE[actor.repoPermission ?? 'none'];
  return fallback ? { roles: [fallback], via: 'github-permission' } : { roles: [], via: 'none' };
}

function describeRoles(roles: string[], via: RbacDecision['via'], actor: RbacActor): string {
  if (via === 'none') return `${actor.login} has no role (not in rbac.yaml members and no repository access)`;
  const list = roles.length ? roles.join(', ') : 'no role';
  return via === 'members'
    ? `${actor.login} has ${list} (rbac.yaml members)`
    : `${actor.login} has ${list} (from GitHub "${actor.repoPermission}" permission)`;
}

/**
 * THE decision: may `actor` use `permission` on `resource`? Roles come from `members` (users and
 * `@org/team`), else from the GitHub repository permission (admin→admin, write→developer, read→viewer).
 * Writing a schema whose `owner` has an `owners` entry also needs the actor to be listed there, unless
 * they hold the admin role. The CLI (`aegis can`), the checks and the comment commands all ask here.
 */
export function can(policy: RbacPolicy, actor: RbacActor, permission: string, resource?: RbacResource): RbacDecision {
  const { roles, via } = rolesOf(policy, actor);
  const who = describeRoles(roles, via, actor);
  const granting = roles.filter((r) => policy.roles.get(r)?.permissions.some((p) => permissionMatches(p, permission)));
  if (granting.length === 0)
    return { allowed: false, roles, via, reason: `${who}, which does not grant ${permission}` };
  const owner = resource?.owner === undefined ? undefined : policy.owners.get(resource.owner);
  if (!OWNED.has(permission) || owner === undefined || roles.includes(ADMIN_ROLE)) {
    return { allowed: true, roles, via, reason: `${who}, which grants ${permission}` };
  }
  const target = resource?.name ? `schema ${resource.name} (owner ${owner.service})` : `schemas of ${owner.service}`;
  if (owner.writers.some((w) => matchesSubject(w, actor))) {
    return { allowed: true, roles, via, reason: `${who} and is an owner of ${target}` };
  }
  return {
    allowed: false,
    roles,
    via,
    reason: `${who}, but only ${owner.writers.join(', ') || 'admins'} may write ${target}`,
  };
}
