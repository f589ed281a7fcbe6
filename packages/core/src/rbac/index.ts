export type {
  RbacActor,
  RbacDecision,
  RbacMember,
  RbacOwner,
  RbacPolicy,
  RbacResource,
  RbacRole,
  RepoPermission,
} from './rbac-policy.js';
export { RBAC_POLICY_PATH } from './rbac-policy.js';
export type { ParsedRbacPolicy } from './parse-rbac-policy.js';
export { parseRbacPolicy, isValidRbacSubject } from './parse-rbac-policy.js';
export { can, rolesOf, ADMIN_ROLE } from './can.js';
export { defaultRbacPolicy } from './default-rbac-policy.js';
export {
  PERMISSIONS,
  PERMISSION_ACTIONS,
  PERMISSION_VOCABULARY,
  isKnownPermissionPattern,
  permissionMatches,
  expandPermissionShorthand,
  meaninglessReason,
} from './permissions.js';
