import type { BotContext } from '../bot-context.js';
import { CHECK_NAMES } from '../checks/check-result.js';
import type { CheckName } from '../checks/check-result.js';
import { pullsForCommit } from '../pulls-for-commit.js';
import type { Gate } from '../gate/gate-ports.js';
import { runGate } from '../gate/run-gate.js';
import { eventScope, oncePerDelivery } from './event-scope.js';
import type { EventContext } from './event-scope.js';

interface CheckRunPayload {
  check_run: { name: string; head_sha: string; pull_requests: { number: number }[] };
}

/** check_run.rerequested → re-run that one check on each PR of the run (found by head SHA for forks). */
export function onCheckRun(bot: BotContext, gate: Gate) {
  return async (context: EventContext): Promise<void> => {
    const { check_run: run } = context.payload as CheckRunPayload;
    if (!(CHECK_NAMES as readonly string[]).includes(run.name)) return;
    const scope = eventScope(context);
    await oncePerDelivery(bot, context, run.head_sha, async () => {
      for (const pull of await pullsForCommit(scope.gh, run.head_sha, run.pull_requests, scope.log)) {
        await runGate(gate, { ...scope, pull }, [run.name as CheckName]);
      }
    });
  };
}
