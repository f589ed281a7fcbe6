import type { BotConfig } from '../bot-context.js';
import { octokitMergeApi } from '../auto-merge/merge-api.js';
import type { OctokitLike } from '../github.js';
import { runDispatch } from '../indexing/run-dispatch.js';
import type { DispatchDeps } from '../indexing/run-dispatch.js';
import { eventScope } from './event-scope.js';
import type { EventContext } from './event-scope.js';

interface DispatchPayload {
  action: string;
  branch?: string;
  client_payload?: Record<string, unknown> | null;
  sender: { login: string; type?: string };
}

/** What a dispatch delivery needs: running it (`runDispatch`), and how this app merges (auto-merge's GitHub calls). */
export interface RepositoryDispatchDeps extends DispatchDeps {
  config: Pick<BotConfig, 'appId' | 'mergeMethod'>;
}

/**
 * `repository_dispatch` with an `aegis.*` action (`aegis.indexing.started`, `aegis.indexing.completed`,
 * `aegis.shadow.complete`, …): the indexing service's operations sent through GitHub. The sender must hold a
 * role in `.kiro/rbac.yaml` (default branch) granting the operation's permission — the `indexer` role. The
 * client payload is the operation's data (seed fields accepted); `id` + `commit` in it deduplicate.
 */
export function onRepositoryDispatch(deps: RepositoryDispatchDeps) {
  return async (context: EventContext): Promise<void> => {
    const payload = context.payload as DispatchPayload;
    if (!payload.action.startsWith('aegis.')) return;
    const { gh, repo, log } = eventScope(context);
    const access = {
      gh: { ...gh, ...octokitMergeApi(context.octokit as OctokitLike, repo.fullName, deps.config) },
      info: repo,
    };
    const { action, client_payload: clientPayload, sender } = payload;
    await runDispatch(deps, { access, log }, { action, clientPayload, sender: sender.login, delivery: context.id });
  };
}
