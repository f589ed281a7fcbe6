import { ADMIN_ROLE, rolesOf } from '@aegis/core';
import type { RbacPolicy } from '@aegis/core';
import type { ContributorFacts, JudgedContributor } from '../rbac/pull-contributors.js';
import { authorize, userPrincipal } from '../rbac/authorize.js';
import type { CheckResult } from './check-result.js';
import type { ChangedSchema } from './validate-check.js';

/** One change one contributor was judged on. */
interface Row {
  what: string;
  allowed: boolean;
  reason: string;
}

/** What `aegis/rbac` judges: the default branch's policy, the change, and everyone who contributed it. */
export interface RbacJudgement {
  policy: RbacPolicy;
  changed: readonly ChangedSchema[];
  policyEdited: boolean;
  /** Absent when nothing is judged (no schema and no policy changed). */
  contributors?: ContributorFacts | undefined;
  /** Problems of the default branch's policy: only its valid entries apply, which the summary says. */
  policyProblems?: number;
}

/** Every change `who` would make, judged (ownership on both sides of an owner change). */
function rowsOf(j: RbacJudgement, who: JudgedContributor): Row[] {
  const rows: Row[] = j.changed.flatMap((c) => {
    const known = [...new Set([c.baseOwner, c.owner].filter((o): o is string => o !== undefined))];
    const owners: (string | undefined)[] = known.length > 0 ? known : [undefined];
    return owners.map((owner) => {
      const resource = { type: 'schema' as const, name: c.name, owner };
      const d = authorize(userPrincipal(j.policy, who.actor), `change:${c.status}`, resource);
      const what = `${d.permission} \`${c.name ?? c.path}\`${owners.length > 1 ? ` (owner ${owner ?? 'none'})` : ''}`;
      return { what, allowed: d.allowed, reason: d.reason };
    });
  });
  if (j.policyEdited) {
    const { roles } = rolesOf(j.policy, who.actor);
    const reason = `${who.login} has ${roles.join(', ') || 'no role'}; only ${ADMIN_ROLE} may change the policy`;
    rows.push({ what: 'edit `.kiro/rbac.yaml`', allowed: roles.includes(ADMIN_ROLE), reason });
  }
  return rows;
}

/** `mallory (pushed abc1234, authored abc1234)`: who, and what they did (the first few things). */
function named(who: JudgedContributor): string {
  const more = who.did.length > 3 ? `, and ${who.did.length - 3} more` : '';
  return `${who.login} (${who.did.slice(0, 3).join(', ')}${more})`;
}

/** The basis line: which policy decided, and its problems. */
function basisOf(policyProblems = 0): string {
  const broken = policyProblems
    ? ` ⚠️ That file has ${policyProblems} problem${policyProblems === 1 ? '' : 's'} (run \`aegis validate\` on the default branch): only its valid entries apply.`
    : '';
  return `\n\nDecided by \`.kiro/rbac.yaml\` on the default branch; changes to it in this PR take effect only after merge.${broken}`;
}

const result = (conclusion: 'success' | 'failure', title: string, summary: string): CheckResult => ({
  name: 'aegis/rbac',
  conclusion,
  title,
  summary,
  annotations: [],
});

/** The summary's sections: whose change was refused first, then each contributor's rows, then unmapped commits. */
function summaryOf(judged: { who: JudgedContributor; rows: Row[] }[], unmapped: readonly string[]): string {
  const refused = judged.flatMap(({ who, rows }) =>
    rows.filter((r) => !r.allowed).map((r) => `- ❌ ${named(who)} may not ${r.what}: ${r.reason}`),
  );
  const head = refused.length ? `**Refused**\n${refused.join('\n')}\n\n` : '';
  const each = judged.map(({ who, rows }) => {
    const list = rows.map((r) => `- ${r.allowed ? '✅' : '❌'} ${r.what}: ${r.reason}`).join('\n');
    return `**${named(who)}**\n${list}`;
  });
  const shown = unmapped.slice(0, 20).map((u) => `- ${u}`);
  if (unmapped.length > 20) shown.push(`- and ${unmapped.length - 20} more`);
  const notes = shown.length ? `\n\n**Commits without a GitHub account**\n${shown.join('\n')}` : '';
  return `${head}Everyone who contributed this change since the merge base is judged: the author, every pusher, every commit author and committer.\n\n${each.join('\n\n')}${notes}`;
}

/**
 * `aegis/rbac`: everyone who contributed the PR's change since the merge base — its author, every recorded
 * pusher, every commit author and committer GitHub maps to an account — may make every change: write each
 * changed schema (by its `owner`, before and after), and only an admin may edit rbac.yaml. Decided under the
 * DEFAULT branch's policy (never the PR head's). A contributor list that cannot be complete fails closed.
 */
export function rbacCheck(j: RbacJudgement): CheckResult {
  const basis = basisOf(j.policyProblems);
  if (j.changed.length === 0 && !j.policyEdited)
    return result('success', 'No schema changed', `Nothing to authorise.${basis}`);
  if (!j.contributors) throw new Error('aegis/rbac was decided without the contributors: the gate gathers them');
  const { contributors, unmapped, incomplete } = j.contributors;
  if (incomplete) return result('failure', 'Aegis cannot tell who contributed this change', `${incomplete}${basis}`);
  const judged = contributors.map((who) => ({ who, rows: rowsOf(j, who) }));
  const total = judged[0]?.rows.length ?? 0;
  const deniedWho = judged.filter(({ rows }) => rows.some((r) => !r.allowed)).map(({ who }) => who.login);
  const deniedChanges = new Set(judged.flatMap(({ rows }) => rows.flatMap((r, i) => (r.allowed ? [] : [i])))).size;
  const summary = `${summaryOf(judged, unmapped)}${basis}`;
  if (deniedWho.length === 0)
    return result('success', `${contributors.map((c) => c.login).join(', ')} may make every change`, summary);
  return result('failure', `${deniedWho.join(', ')} may not make ${deniedChanges} of ${total} changes`, summary);
}
