import { rolesOf } from '@aegis/core';
import type { BotContext } from '../bot-context.js';
import { octokitMergeApi } from '../auto-merge/merge-api.js';
import { handleCloudEvent } from '../indexing/cloud-event.js';
import type { OperationContext } from '../indexing/index.js';
import { ForbiddenError } from '../indexing/run-operation.js';
import type { OctokitLike } from '../github.js';
import { loadPolicy } from '../rbac/load-policy.js';
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
    const gh = { ...scope.gh, ...octokitMergeApi(context.octokit as OctokitLike, scope.repo.fullName) };
    const ops: OperationContext = {
      bot,
      defaultRepo: scope.repo.fullName,
      log: scope.log,
      github: async (repo) => (repo === scope.repo.fullName ? { gh, info: scope.repo } : undefined),
    };
    const gitDir = await bot.mirror.sync(scope.repo.fullName, await gh.installationToken(), {
      ...(scope.repo.cloneUrl ? { cloneUrl: scope.repo.cloneUrl } : {}),
    });
    const { policy } = await loadPolicy(gitDir, `refs/heads/${scope.repo.defaultBranch}`);
    const actor = await bot.actors.resolve(gh, payload.sender.login, policy);
    const { roles } = rolesOf(policy, actor);
    const permissions = roles.flatMap((r) => policy.roles.get(r)?.permissions ?? []);
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
        roles,
        permissions,
        transport: 'dispatch',
        delivery: context.id,
      });
      context.log.info({ operation: outcome.operation, duplicate: outcome.duplicate }, 'repository_dispatch handled');
    } catch (error) {
      if (!(error instanceof ForbiddenError)) throw error;
      await bot.freeze.appendAudit({
        repo: scope.repo.fullName,
        branch: [data['branch'], data['branch_name']].find((b): b is string => typeof b === 'string') ?? '-',
        actor: payload.sender.login,
        action: 'rbac.denied',
        reason: error.message,
        delivery: context.id,
      });
      context.log.warn({ sender: payload.sender.login, action: payload.action }, error.message);
    }
  };
}
