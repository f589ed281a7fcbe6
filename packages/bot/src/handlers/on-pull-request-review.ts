import type { FreezeService } from '@aegis/freeze';
import type { BotConfig } from '../bot-context.js';
import { ignoredComment } from '../commands/ignored-comment.js';
import { misplacedCommandReply } from '../commands/misplaced-command.js';
import { eventScope, oncePer } from './event-scope.js';
import type { EventContext } from './event-scope.js';

interface ReviewText {
  id: number;
  body: string | null;
  user: { login: string; type: string } | null;
}

interface ReviewPayload {
  action: string;
  comment?: ReviewText;
  review?: ReviewText;
  pull_request: { number: number };
  sender: { login: string; type: string };
}

/** What answering a misplaced command needs: delivery dedupe and the app's own login. */
export interface ReviewDeps {
  freeze: Pick<FreezeService, 'firstDelivery' | 'forgetDelivery'>;
  config: Pick<BotConfig, 'botLogin' | 'dedupeTtlMs'>;
}

/**
 * pull_request_review_comment.created and pull_request_review.submitted → a command typed there is answered
 * in the PR's conversation with where to type it (commands run from conversation comments only).
 */
export function onPullRequestReview(deps: ReviewDeps) {
  return async (context: EventContext): Promise<void> => {
    const payload = context.payload as ReviewPayload;
    const text = payload.comment ?? payload.review;
    const action = payload.action === 'submitted' ? 'created' : payload.action;
    if (!text || ignoredComment({ action, comment: text, sender: payload.sender }, deps.config.botLogin)) return;
    const where = payload.comment ? 'review comment' : 'review';
    const reply = misplacedCommandReply(text.body, where, text.user?.login ?? payload.sender.login);
    if (!reply) return;
    const scope = eventScope(context);
    await oncePer(deps, context, `${where}:${scope.repo.fullName}#${text.id}`, 'created', async () => {
      await scope.gh.createComment(payload.pull_request.number, reply);
    });
  };
}
