import { ADMIN_ROLE, rolesOf } from '@aegis/core';
import type { RbacActor, RbacPolicy } from '@aegis/core';
import { authorize, userPrincipal } from '../rbac/authorize.js';
import type { CheckResult } from './check-result.js';
import type { ChangedSchema } from './validate-check.js';

/**
 * `aegis/rbac`: the PR author may write every changed schema (by its `owner`), under the policy of the
 * DEFAULT branch (never the PR head, so a PR cannot grant itself rights). Editing rbac.yaml itself needs
 * the admin role.
 */
export function rbacCheck(
  policy: RbacPolicy,
  actor: RbacActor,
  changed: ChangedSchema[],
  policyEdited: boolean,
  /** Problems of the default branch's policy: only its valid entries apply, which the summary says. */
  policyProblems = 0,
): CheckResult {
  const rows: { what: string; allowed: boolean; reason: string }[] = changed.flatMap((c) => {
    const known = [...new Set([c.baseOwner, c.owner].filter((o): o is string => o !== undefined))];
    const owners: (string | undefined)[] = known.length > 0 ? known : [undefined];
    return owners.map((owner) => {
      const d = authorize(userPrincipal(policy, actor), `change:${c.status}`, { type: 'schema', name: c.name, owner });
      const what = `${d.permission} \`${c.name ?? c.path}\`${owners.length > 1 ? ` (owner ${owner ?? 'none'})` : ''}`;
      return { what, allowed: d.allowed, reason: d.reason };
    });
  });
  if (policyEdited) {
    const { roles } = rolesOf(policy, actor);
    const allowed = roles.includes(ADMIN_ROLE);
    const reason = `${actor.login} has ${roles.join(', ') || 'no role'}; only ${ADMIN_ROLE} may change the policy`;
    rows.push({ what: 'edit `.kiro/rbac.yaml`', allowed, reason });
  }
  const denied = rows.filter((r) => !r.allowed);
  const list = rows.map((r) => `- ${r.allowed ? '✅' : '❌'} ${r.what}: ${r.reason}`).join('\n');
  const broken = policyProblems
    ? ` ⚠️ That file has ${policyProblems} problem${policyProblems === 1 ? '' : 's'} (run \`aegis validate\` on the default branch): only its valid entries apply.`
    : '';
  const basis = `\n\nDecided by \`.kiro/rbac.yaml\` on the default branch; changes to it in this PR take effect only after merge.${broken}`;
  if (rows.length === 0) {
    return {
      name: 'aegis/rbac',
      conclusion: 'success',
      title: 'No schema changed',
      summary: `Nothing to authorise.${basis}`,
      annotations: [],
    };
  }
  return {
    name: 'aegis/rbac',
    conclusion: denied.length ? 'failure' : 'success',
    title: denied.length
      ? `${actor.login} may not make ${denied.length} of ${rows.length} changes`
      : `${actor.login} may make every change`,
    summary: `${list}${basis}`,
    annotations: [],
  };
}
