import { ForbiddenError } from '../errors.js';
import type { Log } from '../log.js';
import { resolvePrincipal } from '../rbac/resolve-principal.js';
import type { PrincipalDeps } from '../rbac/resolve-principal.js';
import { handleCloudEvent } from './cloud-event.js';
import type { OperationContext, RepoAccess } from './index.js';

/** A `repository_dispatch` delivery with an `aegis.*` action, as the webhook says it. */
export interface DispatchEvent {
  action: string;
  sender: string;
  clientPayload: Record<string, unknown> | null | undefined;
  delivery: string;
}

/** What running a dispatch needs: who the sender is (policy and GitHub), and operations in its repository. */
export interface DispatchDeps extends PrincipalDeps {
  /** The operations' context of the repository the dispatch came from, through the delivery's installation. */
  operationsIn(access: RepoAccess, log: Log): OperationContext;
}

/**
 * Runs a dispatched `aegis.*` event as the indexing operation it names, in an operations' context of this
 * repository: the sender is judged by `.kiro/rbac.yaml` on the default branch (the `indexer` role), the client
 * payload is the operation's data (seed fields accepted), and its `id` + `commit` deduplicate. A refusal is
 * audited by authorisation and only logged here.
 */
export async function runDispatch(
  deps: DispatchDeps,
  scope: { access: RepoAccess; log: Log },
  dispatch: DispatchEvent,
): Promise<void> {
  const { access, log } = scope;
  const repo = access.info;
  const principal = await resolvePrincipal(deps, access.gh, repo, dispatch.sender);
  const data: Record<string, unknown> = { ...(dispatch.clientPayload ?? {}), repo: repo.fullName };
  const id = typeof data['id'] === 'string' ? data['id'] : `delivery:${dispatch.delivery}`;
  const event = { id, source: `github:repository_dispatch:${dispatch.sender}`, type: dispatch.action, data };
  const caller = {
    identity: dispatch.sender,
    principal,
    transport: 'dispatch' as const,
    delivery: dispatch.delivery,
    judgedIn: repo.fullName,
  };
  try {
    const outcome = await handleCloudEvent(deps.operationsIn(access, log), event, caller);
    log.info({ operation: outcome.operation, duplicate: outcome.duplicate }, 'repository_dispatch handled');
  } catch (error) {
    if (!(error instanceof ForbiddenError)) throw error;
    log.warn({ sender: dispatch.sender, action: dispatch.action }, error.message);
  }
}
