import type { BotContext } from '../bot-context.js';
import { octokitMergeApi } from '../auto-merge/merge-api.js';
import type { OctokitLike } from '../github.js';
import { runDispatch } from '../indexing/run-dispatch.js';
import { eventScope } from './event-scope.js';
import type { EventContext } from './event-scope.js';

interface DispatchPayload {
  action: string;
  branch?: string;
  client_payload?: Record<string, unknown> | null;
  sender: { login: string; type?: string };
}

/**
 * `repository_dispatch` with an `aegis.*` action (`aegis.indexing.started`, `aegis.indexing.completed`,
 * `aegis.shadow.complete`, …): the indexing service's operations sent through GitHub. The sender must hold a
 * role in `.kiro/rbac.yaml` (default branch) granting the operation's permission — the `indexer` role. The
 * client payload is the operation's data (seed fields accepted); `id` + `commit` in it deduplicate.
 */
export function onRepositoryDispatch(bot: BotContext) {
  return async (context: EventContext): Promise<void> => {
    const payload = context.payload as DispatchPayload;
    if (!payload.action.startsWith('aegis.')) return;
    const scope = eventScope(context);
    const gh = { ...scope.gh, ...octokitMergeApi(context.octokit as OctokitLike, scope.repo.fullName, bot.config) };
    const { action, client_payload: clientPayload, sender } = payload;
    await runDispatch(bot, { ...scope, gh }, { action, clientPayload, sender: sender.login, delivery: context.id });
  };
}
