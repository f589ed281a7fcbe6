import type { BotContext } from '../bot-context.js';
import { CHECK_NAMES } from '../checks/check-result.js';
import { pullsForCommit } from '../pulls-for-commit.js';
import type { Gate } from '../gate/gate-ports.js';
import { runGate } from '../gate/run-gate.js';
import { eventScope, oncePerDelivery } from './event-scope.js';
import type { EventContext } from './event-scope.js';

interface CheckSuitePayload {
  check_suite: { head_sha: string; pull_requests: { number: number }[] };
}

/** check_suite.requested/rerequested → the four checks on each PR of the suite (found by head SHA for forks). */
export function onCheckSuite(bot: BotContext, gate: Gate) {
  return async (context: EventContext): Promise<void> => {
    const { check_suite: suite } = context.payload as CheckSuitePayload;
    const scope = eventScope(context);
    await oncePerDelivery(bot, context, suite.head_sha, async () => {
      for (const pull of await pullsForCommit(scope.gh, suite.head_sha, suite.pull_requests, scope.log)) {
        await runGate(gate, { ...scope, pull }, CHECK_NAMES);
      }
    });
  };
}
