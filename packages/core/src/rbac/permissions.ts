/**
 * The permission vocabulary of `.kiro/rbac.yaml`: `family:action`, with `family:*` and `*` as wildcards and the
 * seed 004 shorthand `family:a,b,c`. Kept in one place so the parser (diagnostics), the decision and the docs
 * (docs/rbac.md) agree: every permission either governs something the app does, or is refused as meaningless
 * in a git-native registry (with the reason the validation gives).
 */
export const PERMISSION_VOCABULARY: Readonly<Record<string, { governs: string } | { meaningless: string }>> = {
  'schema:read': { governs: 'reading the registry through the HTTP API (`GET …/registry`)' },
  'schema:write': { governs: 'a pull request modifying or renaming a schema file (`aegis/rbac`, with ownership)' },
  'schema:create': { governs: 'a pull request adding a schema file (`aegis/rbac`, with ownership)' },
  'schema:delete': { governs: 'a pull request removing a schema file (`aegis/rbac`, with ownership)' },
  'branch:read': { governs: 'branch states, locks, shadow builds and the dashboard data (HTTP API)' },
  'branch:create': {
    meaningless:
      'branches are created with git push, which GitHub repository permissions govern; what a branch may change is schema:write/create/delete',
  },
  'branch:update': {
    meaningless:
      'branch contents change by git push (GitHub repository permissions); what a push may change is schema:write/create/delete, and a branch state is set by admins (branch:force-unlock)',
  },
  'branch:lock': { governs: '`/lock` on a pull request' },
  'branch:unlock': { governs: '`/unlock` of a lock one holds' },
  'branch:force-unlock': {
    governs: '`/force-unlock`, the API force-unlock and set-state (releasing others’ locks, setting branch states)',
  },
  'index:start': { governs: 'indexing and shadow-build start, progress, heartbeat and cancel (API, dispatch, NATS)' },
  'index:complete': { governs: 'indexing and shadow-build completion and failure (API, dispatch, NATS)' },
  'index:switch': { governs: 'the shadow index switch (API, `/shadow switch`)' },
  'index:rollback': { governs: '`/shadow rollback` of the active index' },
  'proposal:read': {
    meaningless:
      'a proposal is a pull request: who may read it is the repository’s GitHub read access, which the app cannot narrow',
  },
  'proposal:create': {
    governs:
      'reserved for opening a pull request that changes the registry; not enforced yet (`aegis/rbac` judges the schema permissions)',
  },
  'proposal:merge': {
    governs: 'reserved for `/auto-merge`; not enforced yet (`/auto-merge` asks for schema:write today)',
  },
  'audit:read': { governs: 'the audit log through the HTTP API (`GET …/audit`)' },
};

/** The actions of each family, derived from the vocabulary. */
export const PERMISSION_ACTIONS: Readonly<Record<string, readonly string[]>> = Object.keys(
  PERMISSION_VOCABULARY,
).reduce<Record<string, string[]>>((acc, p) => {
  const [family = '', action = ''] = p.split(':');
  (acc[family] ??= []).push(action);
  return acc;
}, {});

/** Every concrete permission, `schema:read` … `audit:read`. */
export const PERMISSIONS: readonly string[] = Object.keys(PERMISSION_VOCABULARY);

/** Why a permission is meaningless in the git-native product, or undefined when it governs something. */
export function meaninglessReason(permission: string): string | undefined {
  const entry = PERMISSION_VOCABULARY[permission];
  return entry && 'meaningless' in entry ? entry.meaningless : undefined;
}

/** Whether a permission pattern as written in a role (`schema:*`, `*`, `branch:lock`) is known. */
export function isKnownPermissionPattern(pattern: string): boolean {
  if (pattern === '*') return true;
  const [family, action, ...rest] = pattern.split(':');
  if (family === undefined || action === undefined || rest.length > 0) return false;
  const actions = PERMISSION_ACTIONS[family];
  return actions !== undefined && (action === '*' || actions.includes(action));
}

/** Seed 004's shorthand: `branch:create,read,update` → `branch:create`, `branch:read`, `branch:update`. */
export function expandPermissionShorthand(pattern: string): string[] {
  const i = pattern.indexOf(':');
  if (i < 0 || !pattern.includes(',', i)) return [pattern];
  const family = pattern.slice(0, i);
  return pattern
    .slice(i + 1)
    .split(',')
    .map((a) => `${family}:${a.trim()}`);
}

/** Whether a role's permission pattern grants one concrete permission. */
export function permissionMatches(pattern: string, permission: string): boolean {
  if (pattern === '*' || pattern === permission) return true;
  if (!pattern.endsWith(':*')) return false;
  return permission.startsWith(pattern.slice(0, -1));
}
