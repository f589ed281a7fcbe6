/**
 * The permission vocabulary of `.kiro/rbac.yaml`: `family:action`, with `family:*` and `*` as wildcards.
 * Kept in one place so the parser (unknown-permission diagnostics) and the decision agree.
 */
export const PERMISSION_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  schema: ['read', 'write', 'create', 'delete'],
  branch: ['read', 'create', 'update', 'lock', 'unlock', 'force-unlock'],
  index: ['start', 'complete', 'switch', 'rollback'],
  proposal: ['read', 'create', 'merge'],
  audit: ['read'],
};

/** Every concrete permission, `schema:read` … `audit:read`. */
export const PERMISSIONS: readonly string[] = Object.entries(PERMISSION_ACTIONS).flatMap(([family, actions]) =>
  actions.map((action) => `${family}:${action}`),
);

/** Whether a permission pattern as written in a role (`schema:*`, `*`, `branch:lock`) is known. */
export function isKnownPermissionPattern(pattern: string): boolean {
  if (pattern === '*') return true;
  const [family, action, ...rest] = pattern.split(':');
  if (family === undefined || action === undefined || rest.length > 0) return false;
  const actions = PERMISSION_ACTIONS[family];
  return actions !== undefined && (action === '*' || actions.includes(action));
}

/** Whether a role's permission pattern grants one concrete permission. */
export function permissionMatches(pattern: string, permission: string): boolean {
  if (pattern === '*' || pattern === permission) return true;
  if (!pattern.endsWith(':*')) return false;
  return permission.startsWith(pattern.slice(0, -1));
}
