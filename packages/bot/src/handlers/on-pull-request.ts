import type { BotContext } from '../bot-context.js';
import { CHECK_NAMES } from '../checks/check-result.js';
import { headBranchMerged } from '../auto-merge/after-merge.js';
import { toPullInfo } from '../github.js';
import type { Gate } from '../gate/gate-ports.js';
import { reevaluateFreeze } from '../gate/reevaluate-freeze.js';
import { runGate } from '../gate/run-gate.js';
import { releasePullLocks } from '../release-pull-locks.js';
import { eventScope, oncePerDelivery } from './event-scope.js';
import type { EventContext } from './event-scope.js';

interface PullRequestPayload {
  action: string;
  pull_request: Parameters<typeof toPullInfo>[0] & { merged?: boolean; head: { ref?: string } };
  changes?: { body?: unknown; base?: unknown };
}

/** pull_request: opened/synchronize/reopened → the four checks; edited → audit (all four if the base moved); closed → release the PR's locks. */
export function onPullRequest(bot: BotContext, gate: Gate) {
  return async (context: EventContext): Promise<void> => {
    const payload = context.payload as PullRequestPayload;
    const pull = toPullInfo(payload.pull_request);
    const scope = eventScope(context);
    await oncePerDelivery(bot, context, pull.headSha, async () => {
      if (payload.action === 'closed') {
        const head = {
          number: pull.number,
          headRef: payload.pull_request.head.ref ?? '',
          merged: payload.pull_request.merged === true,
        };
        await headBranchMerged(bot, scope.repo.fullName, head, scope.delivery);
        const released = await releasePullLocks(bot, scope, pull);
        await reevaluateFreeze(gate, scope, pull.baseRef, released);
        if (released.length > 0) await bot.watcher.observe(scope.repo.fullName, pull.baseRef);
        return;
      }
      if (payload.action === 'edited' && !payload.changes?.base) {
        if (!payload.changes?.body) return;
        await runGate(gate, { ...scope, pull }, ['aegis/audit']);
        return;
      }
      await runGate(gate, { ...scope, pull }, CHECK_NAMES);
    });
  };
}
