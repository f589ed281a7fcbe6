import { answerCommand } from '../commands/answer-command.js';
import type { AnswerDeps } from '../commands/answer-command.js';
import { ignoredComment, isId } from '../commands/ignored-comment.js';
import { parseCommand } from '../commands/parse-command.js';
import type { BotConfig } from '../bot-context.js';
import type { OperationContext } from '../indexing/index.js';
import { eventScope, oncePer } from './event-scope.js';
import type { DeliveryDeps, EventContext } from './event-scope.js';

interface IssueCommentPayload {
  action: string;
  issue: { number: number; pull_request?: unknown };
  comment: { id: number; body: string; user: { login: string; type: string } | null };
  sender: { login: string; type: string };
}

/** issue_comment.created → a command (`answerCommand`), once per comment id (the signature covers it). */
export function onIssueComment(
  deps: DeliveryDeps & AnswerDeps & { config: Pick<BotConfig, 'botLogin'> },
  operations: OperationContext,
) {
  return async (context: EventContext): Promise<void> => {
    const payload = context.payload as IssueCommentPayload;
    const skip = isId(payload.issue?.number) ? ignoredComment(payload, deps.config.botLogin) : 'malformed issue';
    if (skip) return context.log.info({ reason: skip }, 'comment ignored');
    const cmd = parseCommand(payload.comment.body);
    if (!cmd) return;
    const scope = eventScope(context);
    const { comment, issue } = payload;
    const login = comment.user?.login ?? payload.sender.login;
    const typed = {
      id: comment.id,
      issue: issue.number,
      onPull: issue.pull_request !== undefined,
      login,
      body: comment.body,
    };
    await oncePer(deps, context, `comment:${scope.repo.fullName}#${comment.id}`, 'created', () =>
      answerCommand(deps, operations, scope, typed, cmd),
    );
  };
}
