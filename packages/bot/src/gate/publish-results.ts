import type { LinkedIssue } from '../checks/audit-check.js';
import type { CheckName, CheckResult } from '../checks/check-result.js';
import { publishCheck } from '../checks/publish-check.js';
import { ChecksUnpublishedError } from '../errors.js';
import type { GatePublisher, GateTarget } from './gate-ports.js';

/** The dedupe key of a blocking outcome: one audit record per (PR, check, title) and head SHA. */
export function blockingKey(repo: string, pr: number, result: Pick<CheckResult, 'name' | 'title'>): string {
  return `audit:${repo}#${pr}:${result.name}:${result.title}`;
}

/** Whether auto-merge gets its turn: something was decided and every check passed. */
export function allPassed(results: readonly CheckResult[]): boolean {
  return results.length > 0 && results.every((r) => r.conclusion === 'success');
}

/**
 * Appends an audit record for a blocking outcome, once per (PR head, check, title): re-evaluations that
 * reach the same verdict add nothing. Durable before the check is published.
 */
async function auditBlocking(
  pub: GatePublisher,
  target: GateTarget,
  result: CheckResult,
  linked: LinkedIssue | undefined,
): Promise<boolean> {
  const { repo, pull } = target;
  const key = blockingKey(repo.fullName, pull.number, result);
  const first = await pub.freeze.firstDelivery(key, pull.headSha, pub.config.dedupeTtlMs).catch(() => true);
  if (!first) return false;
  await pub.freeze.appendAudit({
    repo: repo.fullName,
    branch: pull.baseRef,
    actor: pull.author,
    action: 'check.blocked',
    issue: linked?.key ?? null,
    resourceType: 'check',
    resourceId: result.name,
    reason: result.title,
    new: { pr: pull.number, check: result.name, conclusion: result.conclusion, headSha: pull.headSha },
    delivery: target.delivery ?? null,
  });
  return true;
}

/** Audits every blocking result (once each); a store that is down is logged, and the checks still fail closed. */
async function auditAll(
  pub: GatePublisher,
  target: GateTarget,
  results: readonly CheckResult[],
  linked: LinkedIssue | undefined,
): Promise<boolean> {
  let audited = false;
  for (const r of results.filter((x) => x.conclusion === 'failure')) {
    try {
      audited = (await auditBlocking(pub, target, r, linked)) || audited;
    } catch (error) {
      target.log.error({ err: error, check: r.name }, 'audit record for a blocking check could not be written');
    }
  }
  return audited;
}

/** Publishes each check on its own (one GitHub refuses never keeps the others off the PR); returns the refused. */
async function publishAll(pub: GatePublisher, target: GateTarget, results: readonly CheckResult[]) {
  const { gh, pull, log } = target;
  const unpublished: CheckName[] = [];
  for (const r of results) {
    try {
      await publishCheck(gh.checks, { owner: gh.owner, repo: gh.repo }, pull.headSha, r);
      pub.checkRuns.inc({ check: r.name, conclusion: r.conclusion });
    } catch (error) {
      log.error({ err: error, check: r.name, pr: pull.number }, 'check run could not be published');
      unpublished.push(r.name);
    }
  }
  return unpublished;
}

/**
 * The gate's one publishing step: audit records for blocking outcomes first (durable before anyone is told),
 * then every check run, the metrics, the linked issue's audit comment, and — when every check passed —
 * auto-merge's turn. Checks GitHub refused fail the call (`ChecksUnpublishedError`) after the others are out,
 * so the delivery can be redelivered; auto-merge then waits for them.
 */
export async function publishResults(
  pub: GatePublisher,
  target: GateTarget,
  linked: LinkedIssue | undefined,
  results: readonly CheckResult[],
): Promise<void> {
  const audited = await auditAll(pub, target, results, linked);
  const unpublished = await publishAll(pub, target, results);
  if (audited && linked?.number !== undefined) {
    await pub.syncAuditComment(target.gh, { key: linked.key, number: linked.number }, target.pull.number, target.log);
  }
  if (unpublished.length > 0) throw new ChecksUnpublishedError(unpublished);
  if (pub.afterChecks && allPassed(results)) {
    await pub.afterChecks(target.repo.fullName, target.pull.number);
  }
}
