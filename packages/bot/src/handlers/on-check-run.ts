import type { Gate } from '../gate/gate-ports.js';
import { rerunPlan } from '../gate/pull-event-plan.js';
import { rerunChecks } from '../gate/rerun-checks.js';
import { eventScope, oncePerDelivery } from './event-scope.js';
import type { DeliveryDeps, EventContext } from './event-scope.js';

interface CheckRunPayload {
  action: string;
  check_run: { name: string; head_sha: string; pull_requests: { number: number }[] };
}

/** check_run.rerequested → that one check (if it is ours) on each PR of the commit (`rerunChecks`). */
export function onCheckRun(deps: DeliveryDeps, gate: Gate) {
  return async (context: EventContext): Promise<void> => {
    const { action, check_run: run } = context.payload as CheckRunPayload;
    const plan = rerunPlan('check_run', action, run.name);
    if (plan.kind !== 'checks') return;
    const scope = eventScope(context);
    await oncePerDelivery(deps, context, run.head_sha, () =>
      rerunChecks(gate, scope, { headSha: run.head_sha, pulls: run.pull_requests }, plan),
    );
  };
}
