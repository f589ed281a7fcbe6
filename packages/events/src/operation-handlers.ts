import type { InboundKind } from './event-names.js';
import type { InboundContext, InboundHandlers } from './inbound-dispatcher.js';
import type { InboundData } from './parse-inbound.js';

/** The indexing operation (docs/indexing-api.md) each inbound kind runs. */
export const KIND_OPERATIONS: Record<InboundKind, string> = {
  'indexing.started': 'indexing.started',
  'indexing.completed': 'indexing.completed',
  'indexing.failed': 'indexing.failed',
  'indexing.heartbeat': 'indexing.heartbeat',
  'shadow.started': 'shadow.start',
  'shadow.progress': 'shadow.progress',
  'shadow.completed': 'shadow.complete',
  'shadow.switch': 'shadow.switch',
  'shadow.cancelled': 'shadow.cancel',
  'shadow.failed': 'shadow.fail',
};

/** Reports of failed work (seed 001/002's `status: "failed"`): the operation that runs instead. */
const FAILED_REPORTS: Partial<Record<InboundKind, { operation: string; error: string }>> = {
  'indexing.completed': { operation: 'indexing.failed', error: 'indexing reported status failed' },
  'shadow.progress': { operation: 'shadow.fail', error: 'shadow build reported status failed' },
  'shadow.completed': { operation: 'shadow.fail', error: 'shadow build reported status failed' },
};

/** Runs one named operation with an event's data: the bot passes its `runOperation` here. */
export type RunOperation = (operation: string, data: InboundData, context: InboundContext) => Promise<unknown>;

/**
 * A handler for every inbound kind that runs the matching operation, so NATS reaches the same code as
 * the HTTP API and `repository_dispatch`. Seed 001 reports a failure as `indexing.completed` with
 * `status: failed`: that runs `indexing.failed` (with the event's `error`, or a default text); a shadow
 * build's progress or completion with `status: failed` runs `shadow.fail`.
 */
export function operationHandlers(run: RunOperation): InboundHandlers {
  const handlers: InboundHandlers = {};
  for (const [kind, operation] of Object.entries(KIND_OPERATIONS) as [InboundKind, string][]) {
    handlers[kind] = (data, context) => {
      const failed = FAILED_REPORTS[kind];
      if (failed && data['status'] === 'failed')
        return run(failed.operation, { error: failed.error, ...data }, context);
      if (kind === 'indexing.failed' && typeof data['error'] !== 'string')
        return run(operation, { ...data, error: 'indexing failed' }, context);
      return run(operation, data, context);
    };
  }
  return handlers;
}
