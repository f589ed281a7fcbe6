import type { Gate } from '../gate/gate-ports.js';
import { rerunPlan } from '../gate/pull-event-plan.js';
import { rerunChecks } from '../gate/rerun-checks.js';
import { eventScope, oncePerDelivery } from './event-scope.js';
import type { DeliveryDeps, EventContext } from './event-scope.js';

interface CheckSuitePayload {
  action: string;
  check_suite: { head_sha: string; pull_requests: { number: number }[] };
}

/** check_suite.requested/rerequested → the four checks on each PR of the commit (requested: once per head). */
export function onCheckSuite(deps: DeliveryDeps, gate: Gate) {
  return async (context: EventContext): Promise<void> => {
    const { action, check_suite: suite } = context.payload as CheckSuitePayload;
    const plan = rerunPlan('check_suite', action);
    if (plan.kind !== 'checks') return;
    const scope = eventScope(context);
    await oncePerDelivery(deps, context, suite.head_sha, () =>
      rerunChecks(gate, scope, { headSha: suite.head_sha, pulls: suite.pull_requests }, plan),
    );
  };
}
