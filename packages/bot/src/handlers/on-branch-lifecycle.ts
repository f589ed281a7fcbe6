import { branchEvent, branchLifecycle } from '../branches/branch-lifecycle.js';
import type { LifecyclePayload } from '../branches/branch-lifecycle.js';
import { eventScope } from './event-scope.js';
import type { EventContext } from './event-scope.js';

/** delete, and push with deleted/created → a branch archived or restored (`branchLifecycle`, seed 000). */
export function onBranchLifecycle(deps: { freeze: Parameters<typeof branchLifecycle>[0] }) {
  return async (context: EventContext): Promise<void> => {
    const payload = context.payload as LifecyclePayload;
    const seen = branchEvent(context.name, payload);
    if (!seen) return;
    const { repo, delivery, log } = eventScope(context);
    await branchLifecycle(deps.freeze, { repo: repo.fullName, delivery, log }, seen, payload.sender?.login ?? 'github');
  };
}
