import type { AuditRecord, FreezeService } from '@aegis/freeze';
import type { BotConfig } from '../bot-context.js';
import { quietCode, quietText } from '../checks/quiet-text.js';
import type { GitHubPort } from '../github.js';

/** The PR a record belongs to: `new.pr`, `old.pr`, or the lock's `meta.pr`. */
export function recordPr(record: AuditRecord): number | undefined {
  for (const side of [record.new, record.old] as unknown[]) {
    if (!side || typeof side !== 'object') continue;
    const s = side as { pr?: unknown; meta?: { pr?: unknown }; locks?: { meta?: { pr?: unknown } }[] };
    const pr = s.pr ?? s.meta?.pr;
    if (pr !== undefined && pr !== null && Number.isFinite(Number(pr))) return Number(pr);
  }
  return undefined;
}

/** The app's own login: `AEGIS_BOT_LOGIN` when set, else any GitHub App's (`<slug>[bot]`, which no user can take). */
function isAppLogin(login: string, botLogin: string | undefined): boolean {
  return botLogin ? login === botLogin : login.endsWith('[bot]');
}

const marker = (repo: string, pr: number): string => `<!-- aegis-audit ${repo}#${pr} -->`;

function renderComment(repo: string, pr: number, issueKey: string, records: AuditRecord[]): string {
  const rows = records.map((r) => {
    const what = r.resourceType ? quietCode(`${r.resourceType}${r.resourceId ? `:${r.resourceId}` : ''}`) : '';
    // Every field a user or an indexer chose goes through quietText/quietCode: no mention (editing this comment
    // must not notify people again and again), link, image or broken table.
    return `| ${r.at} | ${quietCode(r.action)} | ${quietText(r.actor, 100)} | ${what} | ${quietText(r.reason ?? '')} | ${quietCode(r.id)} |`;
  });
  return [
    marker(repo, pr),
    `### Aegis audit for #${pr} (${issueKey})`,
    '',
    'Every lock, unlock, force-unlock, refusal and blocking check of this pull request, oldest first. Kept up to date by Aegis; ' +
      `\`aegis audit --issue ${issueKey.replace(/^#/, '')}\` shows the same records.`,
    '',
    '| at | action | actor | resource | reason | id |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** The one comment must fit GitHub's limit of 65,536 characters: the oldest rows give way first. */
export const COMMENT_LIMIT = 65_536;

function fitted(repo: string, pr: number, issueKey: string, records: AuditRecord[]): string {
  let kept = records;
  let body = renderComment(repo, pr, issueKey, kept);
  while (body.length > COMMENT_LIMIT && kept.length > 1) {
    kept = kept.slice(Math.max(1, Math.ceil((kept.length * (body.length - COMMENT_LIMIT)) / body.length)));
    const note = `\n\n${records.length - kept.length} older records are left out here (GitHub's comment limit).`;
    body = renderComment(repo, pr, issueKey, kept) + note;
  }
  return body.slice(0, COMMENT_LIMIT);
}

/** What the audit comment reads and remembers: the PR's records, its comment id, and the app's own login. */
export interface AuditCommentDeps {
  freeze: Pick<FreezeService, 'queryAudit'>;
  auditComments: Map<string, number>;
  config: Pick<BotConfig, 'botLogin'>;
}

/**
 * Mirrors a PR's audit records as ONE comment on its linked issue, edited in place (found by a hidden marker
 * after a restart). Called after the records are durable. The records are the audit trail: a comment GitHub
 * refuses (a missing, locked or disabled issue, a rate limit) is logged and never stops the caller.
 */
export async function syncAuditComment(
  bot: AuditCommentDeps,
  gh: GitHubPort,
  issue: { key: string; number: number },
  pr: number,
  log?: { warn(obj: unknown, msg?: string): void },
): Promise<void> {
  try {
    await writeAuditComment(bot, gh, issue, pr);
  } catch (error) {
    log?.warn({ err: error, issue: issue.key, pr }, 'the audit comment could not be written; the records are kept');
  }
}

async function writeAuditComment(
  bot: AuditCommentDeps,
  gh: GitHubPort,
  issue: { key: string; number: number },
  pr: number,
): Promise<void> {
  const page = await bot.freeze.queryAudit({ repo: gh.fullName, issue: issue.key, limit: 500 });
  // This PR's records, and the issue's branch-wide ones tied to no PR (a force-unlock citing it).
  const records = page.records.filter((r) => (recordPr(r) ?? pr) === pr).reverse();
  if (records.length === 0) return;
  const body = fitted(gh.fullName, pr, issue.key, records);
  const key = `${gh.fullName}#${issue.number}#${pr}`;
  let id = bot.auditComments.get(key);
  if (id === undefined) {
    // Only a comment the app wrote: anyone can post the hidden marker, and would keep editing what the app adopted.
    const existing = (await gh.listComments(issue.number)).find(
      (c) => c.body.startsWith(marker(gh.fullName, pr)) && isAppLogin(c.author, bot.config.botLogin),
    );
    id = existing?.id;
  }
  if (id === undefined) id = await gh.createComment(issue.number, body);
  else await gh.updateComment(id, body);
  bot.auditComments.set(key, id);
}
