import type { BotContext } from '../bot-context.js';
import { octokitMergeApi } from '../auto-merge/merge-api.js';
import { handleCloudEvent } from '../indexing/cloud-event.js';
import type { OperationContext } from '../indexing/index.js';
import { ForbiddenError } from '../errors.js';
import type { OctokitLike } from '../github.js';
import { withGate } from '../indexing/operation-context.js';
import { resolvePrincipal } from '../rbac/resolve-principal.js';
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
    const ops: OperationContext = withGate({
      bot,
      defaultRepo: scope.repo.fullName,
      log: scope.log,
      github: async (repo) => (repo === scope.repo.fullName ? { gh, info: scope.repo } : undefined),
    });
    const principal = await resolvePrincipal(bot, gh, scope.repo, payload.sender.login);
    const data: Record<string, unknown> = { ...(payload.client_payload ?? {}), repo: scope.repo.fullName };
    const event = {
      id: typeof data['id'] === 'string' ? data['id'] : `delivery:${context.id}`,
      source: `github:repository_dispatch:${payload.sender.login}`,
      type: payload.action,
      data,
    };
    try {
      const outcome = await handleCloudEvent(ops, event, {
        identity: payload.sender.login,
        principal,
        transport: 'dispatch',
        delivery: context.id,
      });
      context.log.info({ operation: outcome.operation, duplicate: outcome.duplicate }, 'repository_dispatch handled');
    } catch (error) {
      // Refused and audited by authorisation already: only said in the log here.
      if (!(error instanceof ForbiddenError)) throw error;
      context.log.warn({ sender: payload.sender.login, action: payload.action }, error.message);
    }
  };
}
