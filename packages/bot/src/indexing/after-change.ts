import type { ActorContext, BranchRef, FreezeService } from '@aegis/freeze';
import { syncAuditComment } from '../audit/audit-comment.js';
import type { AuditCommentDeps } from '../audit/audit-comment.js';
import type { BotConfig } from '../bot-context.js';
import { findLinkedIssue } from '../checks/audit-check.js';
import type { PullInfo } from '../github.js';
import { silentLog } from '../log.js';
import type { Log } from '../log.js';
import type { Gate } from '../gate/gate-ports.js';
import { reevaluateFreeze } from '../gate/reevaluate-freeze.js';
import type { Caller, RepoAccess } from './index.js';

/** The audit context of a caller. */
export function actorContext(caller: Caller): ActorContext {
  return {
    actor: caller.identity,
    ...(caller.issue ? { issue: caller.issue } : {}),
    ...(caller.delivery ? { delivery: caller.delivery } : {}),
    ...(caller.ipAddress ? { ipAddress: caller.ipAddress } : {}),
    ...(caller.userAgent ? { userAgent: caller.userAgent } : {}),
  };
}

/** How the operations reach GitHub for a repository (an `OperationContext` is one). */
export interface RepoReach {
  github(repo: string): Promise<RepoAccess | undefined>;
  log?: Log | undefined;
}

/** What re-running `aegis/freeze` after a lock change needs: GitHub for the repository and the checks' pipeline. */
export interface Reevaluates extends RepoReach {
  gate: Gate;
}

/** What recording a PR's step needs: the audit log and the pattern that finds the PR's linked issue. */
export interface PullStepLog {
  bot: { freeze: Pick<FreezeService, 'appendAudit'>; config: Pick<BotConfig, 'issueKeyPattern'> };
}

/** What telling a PR needs besides recording: the linked issue's audit comment, and where to log. */
export interface PullTeller extends PullStepLog {
  bot: PullStepLog['bot'] & AuditCommentDeps;
  log?: Log | undefined;
}

/** GitHub for a repository, or undefined (logged) when it cannot be reached: the store change stands. */
export async function repoAccess(ops: RepoReach, repo: string): Promise<RepoAccess | undefined> {
  try {
    return await ops.github(repo);
  } catch (error) {
    ops.log?.warn({ err: error, repo }, 'GitHub unreachable: PRs not updated');
    return undefined;
  }
}

/** Re-runs `aegis/freeze` on the open PRs a lock change affects; returns their numbers. */
export async function reevaluate(ops: Reevaluates, ref: BranchRef, affected: readonly string[]): Promise<number[]> {
  if (affected.length === 0) return [];
  const access = await repoAccess(ops, ref.repo);
  if (!access) return [];
  const scope = { gh: access.gh, repo: access.info, log: ops.log ?? silentLog };
  return reevaluateFreeze(ops.gate, scope, ref.branch, affected).catch((error: unknown) => {
    ops.log?.warn({ err: error, ...ref }, 'aegis/freeze re-evaluation failed');
    return [];
  });
}

/** One step of what happened to a PR (`auto-merge.switched`, `indexing.failed.notified`, …). */
export interface PullStep {
  action: string;
  message: string;
  actor: string;
  delivery?: string;
  details?: Record<string, unknown>;
}

/** Appends a PR's step to the audit log under the PR's linked issue (durable before anyone is told). */
export async function recordPullStep(
  ops: PullStepLog,
  access: RepoAccess,
  pull: Pick<PullInfo, 'number' | 'body' | 'baseRef'>,
  step: PullStep,
): Promise<void> {
  const linked = findLinkedIssue(pull.body, ops.bot.config.issueKeyPattern);
  await ops.bot.freeze.appendAudit({
    repo: access.gh.fullName,
    branch: pull.baseRef,
    actor: step.actor,
    action: step.action,
    issue: linked?.key ?? null,
    resourceType: 'pull',
    resourceId: String(pull.number),
    reason: step.message.split('\n')[0] ?? step.message,
    new: { pr: pull.number, ...step.details },
    delivery: step.delivery ?? null,
  });
}

/**
 * Tells a pull request something happened to it: the step is audited under the PR's linked issue, then
 * commented on the PR, then the issue's audit comment is refreshed.
 */
export async function tellPull(
  ops: PullTeller,
  access: RepoAccess,
  pull: Pick<PullInfo, 'number' | 'body' | 'baseRef'>,
  step: PullStep,
): Promise<void> {
  await recordPullStep(ops, access, pull, step);
  await access.gh.createComment(pull.number, step.message);
  const linked = findLinkedIssue(pull.body, ops.bot.config.issueKeyPattern);
  if (linked?.number !== undefined) {
    await syncAuditComment(ops.bot, access.gh, { key: linked.key, number: linked.number }, pull.number, ops.log);
  }
}
