import type { BotContext } from '../bot-context.js';
import { syncAuditComment } from '../audit/audit-comment.js';
import { findLinkedIssue } from '../checks/audit-check.js';
import { commandLine, parseCommand } from '../commands/parse-command.js';
import { quietText } from '../checks/quiet-text.js';
import { runCommand } from '../commands/run-command.js';
import { indexReachOf } from '../auto-merge/index-commands.js';
import type { PullInfo } from '../github.js';
import { reevaluateFreeze } from '../gate/reevaluate-freeze.js';
import type { OperationContext } from '../indexing/index.js';
import { eventScope, oncePer } from './event-scope.js';
import type { EventContext } from './event-scope.js';

interface IssueCommentPayload {
  action: string;
  issue: { number: number; pull_request?: unknown };
  comment: { id: number; body: string; user: { login: string; type: string } | null };
  sender: { login: string; type: string };
}

/** Which comments the bot never acts on: edits and deletions, bots (itself included), and someone else's text. */
export function ignoredComment(payload: IssueCommentPayload, botLogin?: string): string | undefined {
  if (payload.action !== 'created') return `comment ${payload.action}`;
  const author = payload.comment.user;
  if (!author || author.type === 'Bot' || author.login.endsWith('[bot]')) return 'comment by a bot';
  if (botLogin && author.login === botLogin) return 'own comment';
  if (author.login !== payload.sender.login) return 'comment sent by someone other than its author';
  return undefined;
}

/** issue_comment.created → a command: reaction, RBAC, the operation, audit, reply, then freeze re-evaluation. */
export function onIssueComment(bot: BotContext, operations: OperationContext) {
  return async (context: EventContext): Promise<void> => {
    const payload = context.payload as IssueCommentPayload;
    const skip = ignoredComment(payload, bot.config.botLogin);
    if (skip) return context.log.info({ reason: skip }, 'comment ignored');
    const cmd = parseCommand(payload.comment.body);
    if (!cmd) return;
    const scope = eventScope(context);
    await oncePer(bot, context, `comment:${scope.repo.fullName}#${payload.comment.id}`, 'created', async () => {
      const { gh, repo } = scope;
      await gh.react(payload.comment.id, 'eyes');
      const pull: PullInfo | undefined = payload.issue.pull_request
        ? await gh.getPull(payload.issue.number)
        : undefined;
      const linked = pull
        ? findLinkedIssue(pull.body, bot.config.issueKeyPattern)
        : { key: `#${payload.issue.number}`, number: payload.issue.number, keyword: 'issue' };
      const ref = { repo: repo.fullName, branch: pull?.baseRef ?? repo.defaultBranch };
      const login = payload.comment.user?.login ?? payload.sender.login;
      const scene = {
        ref,
        defaultBranch: repo.defaultBranch,
        cloneUrl: repo.cloneUrl,
        htmlUrl: repo.htmlUrl,
        pr: pull?.number,
        login,
        ctx: { actor: login, issue: linked?.key, delivery: scope.delivery },
      };
      const reply = await runCommand(bot, gh, scene, cmd, indexReachOf(operations));
      await gh.createComment(
        payload.issue.number,
        `> ${quietText(commandLine(payload.comment.body) ?? '')}\n\n@${login} ${reply.text}`,
      );
      if (pull && linked?.number !== undefined)
        await syncAuditComment(bot, gh, { key: linked.key, number: linked.number }, pull.number, scope.log);
      await reevaluateFreeze(operations.gate, scope, ref.branch, reply.affected);
      if (reply.affected.length > 0) await bot.watcher.observe(repo.fullName, ref.branch);
    });
  };
}
