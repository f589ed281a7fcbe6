import type { BotContext } from './bot-context.js';
import { auditCheck, findLinkedIssue } from './checks/audit-check.js';
import type { LinkedIssue } from './checks/audit-check.js';
import type { CheckName, CheckResult } from './checks/check-result.js';
import { freezeCheck, readFreezeVerdict } from './checks/freeze-check.js';
import { PullTooLargeError, pullTooLargeCheck } from './checks/pull-too-large.js';
import { publishCheck } from './checks/publish-check.js';
import { autoMergeAfterChecks } from './auto-merge/after-checks.js';
import { rbacCheck } from './checks/rbac-check.js';
import { proveMigration } from './checks/prove-migration.js';
import { validateCheck } from './checks/validate-check.js';
import type { GitHubPort, PullInfo } from './github.js';
import { inspectPull } from './inspect-pull.js';
import type { PullFacts, RepoInfo } from './inspect-pull.js';
import { syncAuditComment } from './audit/audit-comment.js';
import { ChecksUnpublishedError } from './errors.js';

/** Logger subset (Probot's pino). */
export interface Log {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

async function evaluate(
  bot: BotContext,
  gh: GitHubPort,
  facts: PullFacts | undefined,
  pull: PullInfo,
  repo: RepoInfo,
  name: CheckName,
  linked: LinkedIssue | undefined,
): Promise<CheckResult> {
  if (name === 'aegis/audit') {
    const status = linked?.number === undefined ? undefined : await gh.issueStatus(linked.number);
    return auditCheck(linked, bot.config.issueKeyPattern, status);
  }
  if (!facts) throw new Error(`${name} needs the pull request's facts`);
  if (name === 'aegis/validate') return validateCheck({ ...facts, migration: await migrationProof(bot, facts) });
  if (name === 'aegis/rbac')
    return rbacCheck(facts.policy, facts.actor, facts.changed, facts.policyEdited, facts.policyProblems);
  const ref = { repo: repo.fullName, branch: pull.baseRef };
  const verdict = await readFreezeVerdict(bot.freeze, ref);
  return freezeCheck({ ref, resources: facts.resources, pr: pull.number, htmlUrl: repo.htmlUrl, verdict });
}

/** Proves the change's SQL when a verification database is configured and the head registry is valid. */
async function migrationProof(bot: BotContext, facts: PullFacts) {
  const url = bot.config.verifyDatabaseUrl;
  if (!url || facts.changed.length === 0) return undefined;
  return facts.checked.headValid ? proveMigration(url, facts.base, facts.head) : undefined;
}

function unreadable(name: CheckName, error: unknown): CheckResult {
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

/**
 * Appends an audit record for a blocking outcome, once per (PR head, check, title): re-evaluations that
 * reach the same verdict add nothing. Durable before the check is published.
 */
async function auditBlocking(
  bot: BotContext,
  repo: RepoInfo,
  pull: PullInfo,
  result: CheckResult,
  linked: LinkedIssue | undefined,
  delivery?: string,
): Promise<boolean> {
  const key = `audit:${repo.fullName}#${pull.number}:${result.name}:${result.title}`;
  const first = await bot.freeze.firstDelivery(key, pull.headSha, bot.config.dedupeTtlMs).catch(() => true);
  if (!first) return false;
  await bot.freeze.appendAudit({
    repo: repo.fullName,
    branch: pull.baseRef,
    actor: pull.author,
    action: 'check.blocked',
    issue: linked?.key ?? null,
    resourceType: 'check',
    resourceId: result.name,
    reason: result.title,
    new: { pr: pull.number, check: result.name, conclusion: result.conclusion, headSha: pull.headSha },
    delivery: delivery ?? null,
  });
  return true;
}

/**
 * Evaluates and publishes the named checks of one PR: facts from the mirror (only when a check needs them),
 * audit records for blocking outcomes first, then the check runs, then the issue's audit comment.
 */
export async function runChecks(
  bot: BotContext,
  gh: GitHubPort,
  repo: RepoInfo,
  pull: PullInfo,
  names: readonly CheckName[],
  log: Log,
  delivery?: string,
): Promise<CheckResult[]> {
  const linked = findLinkedIssue(pull.body, bot.config.issueKeyPattern);
  const needsFacts = names.some((n) => n !== 'aegis/audit');
  let facts: PullFacts | undefined;
  let failure: unknown;
  try {
    facts = needsFacts ? await inspectPull(bot, gh, repo, pull) : undefined;
  } catch (error) {
    // Never leave a PR without its checks: say what went wrong on each one that needed the repository.
    log.error({ err: error, pr: pull.number }, 'could not read the pull request from the mirror');
    failure = error;
  }
  const results = await Promise.all(
    names.map((n) =>
      failure !== undefined && n !== 'aegis/audit'
        ? Promise.resolve(unreadable(n, failure))
        : evaluate(bot, gh, facts, pull, repo, n, linked),
    ),
  );
  let audited = false;
  for (const r of results.filter((x) => x.conclusion === 'failure')) {
    try {
      audited = (await auditBlocking(bot, repo, pull, r, linked, delivery)) || audited;
    } catch (error) {
      // The audit log shares the store: when it is down the check still fails closed and says why.
      log.error({ err: error, check: r.name }, 'audit record for a blocking check could not be written');
    }
  }
  // Each check on its own: one GitHub refuses (after the throttle's retries) never keeps the others off the PR.
  const unpublished: CheckName[] = [];
  for (const r of results) {
    try {
      await publishCheck(gh.checks, { owner: gh.owner, repo: gh.repo }, pull.headSha, r);
      bot.metrics.checkRuns.inc({ check: r.name, conclusion: r.conclusion });
    } catch (error) {
      log.error({ err: error, check: r.name, pr: pull.number }, 'check run could not be published');
      unpublished.push(r.name);
    }
  }
  if (audited && linked?.number !== undefined) {
    await syncAuditComment(bot, gh, { key: linked.key, number: linked.number }, pull.number, log);
  }
  if (unpublished.length > 0) throw new ChecksUnpublishedError(unpublished);
  await autoMergeAfterChecks(bot, repo.fullName, pull.number, results);
  return results;
}
