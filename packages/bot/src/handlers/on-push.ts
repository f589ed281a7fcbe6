import { publishesBranch } from '@aegis/events';
import type { SchemaEventSink } from '@aegis/events';
import { publishSchemaChanged } from '../branches/publish-schema-changed.js';
import type { RepoMirror } from '../mirror/repo-mirror.js';
import { eventScope, oncePerDelivery } from './event-scope.js';
import type { DeliveryDeps, EventContext } from './event-scope.js';

interface PushPayload {
  ref: string;
  before: string;
  after: string;
  deleted?: boolean;
  pusher?: { name?: string };
  sender?: { login?: string };
}

/** What publishing a push needs: delivery dedupe, the mirror (both ends of the push) and the bus. */
export interface PushDeps extends DeliveryDeps {
  mirror: Pick<RepoMirror, 'sync'>;
  /** The bus once NATS runs (none: pushes publish nothing) and the branches that publish. */
  schemaEvents: SchemaEventSink;
}

/**
 * push → with NATS_URL, a change to the registry on the default branch (or an AEGIS_EVENTS_BRANCHES
 * branch) becomes one `schema.changed` in the event outbox (docs/events.md). Without a bus: nothing.
 */
export function onPush(deps: PushDeps) {
  return async (context: EventContext): Promise<void> => {
    const bus = deps.schemaEvents.bus;
    const push = context.payload as PushPayload;
    if (!bus || push.deleted || !push.ref.startsWith('refs/heads/')) return;
    const branch = push.ref.slice('refs/heads/'.length);
    const scope = eventScope(context);
    if (!publishesBranch(branch, scope.repo.defaultBranch, deps.schemaEvents.branches)) return;
    const before = /^0+$/.test(push.before) ? null : push.before;
    const pusher = push.sender?.login ?? push.pusher?.name;
    await oncePerDelivery(deps, context, push.after, () =>
      publishSchemaChanged({ mirror: deps.mirror, bus }, scope, { branch, before, after: push.after, pusher }),
    );
  };
}
