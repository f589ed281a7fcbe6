import type { BotContext } from '../bot-context.js';
import type { MergeApi } from '../auto-merge/merge-api.js';
import { ForbiddenError } from '../errors.js';
import type { GitHubPort } from '../github.js';
import type { Log } from '../log.js';
import { resolvePrincipal } from '../rbac/resolve-principal.js';
import type { RepoInfo } from '../repo-info.js';
import { handleCloudEvent } from './cloud-event.js';
import { withGate } from './operation-context.js';

/** A `repository_dispatch` delivery with an `aegis.*` action, as the webhook says it. */
export interface DispatchEvent {
  action: string;
  sender: string;
  clientPayload: Record<string, unknown> | null | undefined;
  delivery: string;
}

/**
 * Runs a dispatched `aegis.*` event as the indexing operation it names, in an operations' context of this
 * repository: the sender is judged by `.kiro/rbac.yaml` on the default branch (the `indexer` role), the client
 * payload is the operation's data (seed fields accepted), and its `id` + `commit` deduplicate. A refusal is
 * audited by authorisation and only logged here.
 */
export async function runDispatch(
  bot: BotContext,
  scope: { gh: GitHubPort & MergeApi; repo: RepoInfo; log: Log },
  dispatch: DispatchEvent,
): Promise<void> {
  const { gh, repo, log } = scope;
  const ops = withGate({
    bot,
    defaultRepo: repo.fullName,
    log,
    github: async (name) => (name === repo.fullName ? { gh, info: repo } : undefined),
  });
  const principal = await resolvePrincipal(bot, gh, repo, dispatch.sender);
  const data: Record<string, unknown> = { ...(dispatch.clientPayload ?? {}), repo: repo.fullName };
  const id = typeof data['id'] === 'string' ? data['id'] : `delivery:${dispatch.delivery}`;
  const event = { id, source: `github:repository_dispatch:${dispatch.sender}`, type: dispatch.action, data };
  const caller = { identity: dispatch.sender, principal, transport: 'dispatch' as const, delivery: dispatch.delivery };
  try {
    const outcome = await handleCloudEvent(ops, event, caller);
    log.info({ operation: outcome.operation, duplicate: outcome.duplicate }, 'repository_dispatch handled');
  } catch (error) {
    if (!(error instanceof ForbiddenError)) throw error;
    log.warn({ sender: dispatch.sender, action: dispatch.action }, error.message);
  }
}
