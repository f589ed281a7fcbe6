import { auditCheck } from '../checks/audit-check.js';
import type { CheckName, CheckResult } from '../checks/check-result.js';
import { freezeCheck } from '../checks/freeze-check.js';
import { PullTooLargeError, pullTooLargeCheck } from '../checks/pull-too-large.js';
import { rbacCheck } from '../checks/rbac-check.js';
import { validateCheck } from '../checks/validate-check.js';
import { unchangedRegistryCheck } from '../checks/unchanged-registry.js';
import type { GateFacts } from './gather-facts.js';

/** What a check says when the PR could not be read: the real cause, and how to re-run it. */
export function unreadableCheck(name: CheckName, error: unknown): CheckResult {
  if (error instanceof PullTooLargeError) return pullTooLargeCheck(name, error);
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  // Say the real cause: GitHub's API refusing (an HTTP status) is not the mirror failing to read git.
  const status = (error as { status?: unknown } | null)?.status;
  const cause =
    typeof status === 'number'
      ? `GitHub answered ${status} while Aegis gathered this pull request's facts: ${message}`
      : `The registry at this pull request could not be read from the repository mirror: ${message}`;
  return {
    name,
    conclusion: 'failure',
    title: 'Aegis could not read this pull request',
    summary: `${cause}\n\nRe-run this check once the cause is fixed (a push also re-runs it).`,
    annotations: [],
  };
}

function missing(name: CheckName, what: string): Error {
  return new Error(`${name} was decided without ${what}: the gate gathers it for that check`);
}

function decide(name: CheckName, facts: GateFacts, keyPattern: RegExp | undefined): CheckResult {
  if (name === 'aegis/audit') return auditCheck(facts.linked, keyPattern, facts.issueStatus);
  if (facts.failure) return unreadableCheck(name, facts.failure.error);
  if (facts.registryNeed === 'unchanged') return unchangedRegistryCheck(name);
  const { change, policy } = facts;
  if (!change) throw missing(name, "the pull request's change");
  if (name === 'aegis/freeze') {
    if (!facts.verdict) throw missing(name, "the lock store's verdict");
    const { repo, pull } = facts.target;
    const ref = { repo: repo.fullName, branch: pull.baseRef };
    return freezeCheck({
      ref,
      resources: change.resources,
      pr: pull.number,
      htmlUrl: repo.htmlUrl,
      verdict: facts.verdict,
    });
  }
  if (!policy) throw missing(name, 'the policy facts');
  if (name === 'aegis/validate')
    return validateCheck({
      head: change.head,
      checked: policy.checked,
      changed: change.changed,
      migration: facts.migration,
    });
  return rbacCheck({
    policy: policy.policy,
    changed: change.changed,
    policyEdited: policy.policyEdited,
    contributors: facts.contributors,
    policyProblems: policy.policyProblems,
  });
}

/**
 * The named checks of one PR, decided from its gathered facts: a pure function (no I/O), one result per name
 * in the order asked. `keyPattern` is the configured issue key (`OMS-\d+`) aegis/audit also accepts.
 */
export function decideChecks(facts: GateFacts, keyPattern?: RegExp): CheckResult[] {
  // A repository without a registry gets nothing (docs/github-app.md): no check, no write.
  if (facts.registryNeed === 'absent') return [];
  return facts.names.map((name) => decide(name, facts, keyPattern));
}
