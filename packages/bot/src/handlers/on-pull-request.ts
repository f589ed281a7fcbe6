import { toPullInfo } from '../github.js';
import type { Gate } from '../gate/gate-ports.js';
import { pullClosed } from '../gate/pull-closed.js';
import type { PullClosedDeps } from '../gate/pull-closed.js';
import { pullEventPlan } from '../gate/pull-event-plan.js';
import { runPlanned } from '../gate/run-planned.js';
import { eventScope, oncePerDelivery } from './event-scope.js';
import type { DeliveryDeps, EventContext } from './event-scope.js';

interface PullRequestPayload {
  action: string;
  pull_request: Parameters<typeof toPullInfo>[0] & { merged?: boolean; head: { ref?: string } };
  changes?: { body?: unknown; base?: unknown };
  sender?: { login?: string };
}

/** pull_request → the gate's plan for the action (`pullEventPlan`): the checks, or a closed PR's locks released. */
export function onPullRequest(deps: DeliveryDeps & PullClosedDeps, gate: Gate) {
  return async (context: EventContext): Promise<void> => {
    const payload = context.payload as PullRequestPayload;
    const plan = pullEventPlan(payload.action, payload.changes);
    if (plan.kind === 'nothing') return;
    const pull = toPullInfo(payload.pull_request);
    const scope = eventScope(context);
    const head = { headRef: payload.pull_request.head.ref ?? '', merged: payload.pull_request.merged === true };
    await oncePerDelivery(deps, context, pull.headSha, async () => {
      if (plan.kind === 'closed') await pullClosed(deps, gate, scope, { ...pull, ...head });
      else await runPlanned(gate, { ...scope, pull }, plan, payload.sender?.login);
    });
  };
}
