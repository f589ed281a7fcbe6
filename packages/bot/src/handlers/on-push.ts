import { publishesBranch } from '@aegis/events';
import type { BotContext } from '../bot-context.js';
import { eventScope, oncePerDelivery } from './event-scope.js';
import type { EventContext } from './event-scope.js';

interface PushPayload {
  ref: string;
  before: string;
  after: string;
  deleted?: boolean;
  pusher?: { name?: string };
  sender?: { login?: string };
}

/**
 * push → with NATS_URL, a change to the registry on the default branch (or an AEGIS_EVENTS_BRANCHES
 * branch) becomes one `schema.changed` in the event outbox (docs/events.md). Without a bus: nothing.
 */
export function onPush(bot: BotContext) {
  return async (context: EventContext): Promise<void> => {
    const bus = bot.schemaEvents.bus;
    const push = context.payload as PushPayload;
    if (!bus || push.deleted || !push.ref.startsWith('refs/heads/')) return;
    const branch = push.ref.slice('refs/heads/'.length);
    const scope = eventScope(context);
    if (!publishesBranch(branch, scope.repo.defaultBranch, bot.schemaEvents.branches)) return;
    await oncePerDelivery(bot, context, push.after, async () => {
      const before = /^0+$/.test(push.before) ? null : push.before;
      const gitDir = await bot.mirror.sync(scope.repo.fullName, await scope.gh.installationToken(), {
        cloneUrl: scope.repo.cloneUrl,
        want: before ? [before, push.after] : [push.after],
        branches: [branch],
      });
      const pusher = push.sender?.login ?? push.pusher?.name;
      const event = await bus.publishSchemaChanged({
        repoDir: gitDir,
        repository: scope.repo.fullName,
        branch,
        before,
        after: push.after,
        ...(pusher ? { pusher } : {}),
      });
      if (event)
        scope.log.info(
          { id: event.id, schemas: event.data.schemas.length, breaking: event.data.breaking },
          'schema.changed queued',
        );
    });
  };
}
