import { InvalidRequestError } from '@aegis/freeze';
import type { CloudEvent, CloudEventOutcome, Caller, OperationContext, OperationName } from './index.js';
import { camelKeys, normaliseInput } from './normalise-input.js';
import { authorizeOperation, runOperation } from './run-operation.js';

/** Event type suffixes (after any `com.oms.`, `aegis.`, `funnel.` prefix) → operations. */
const TYPES: [RegExp, OperationName][] = [
  [/(^|\.)shadow\.indexing\.completed$/, 'shadow.complete'],
  [/(^|\.)shadow\.(started|start)$/, 'shadow.start'],
  [/(^|\.)shadow\.progress$/, 'shadow.progress'],
  [/(^|\.)shadow\.(completed|complete)$/, 'shadow.complete'],
  [/(^|\.)shadow\.switch(ed)?$/, 'shadow.switch'],
  [/(^|\.)shadow\.(cancel|cancelled)$/, 'shadow.cancel'],
  [/(^|\.)shadow\.(fail|failed)$/, 'shadow.fail'],
  [/(^|\.)indexing\.heartbeat$/, 'indexing.heartbeat'],
  [/(^|\.)indexing\.started$/, 'indexing.started'],
  [/(^|\.)indexing\.completed$/, 'indexing.completed'],
  [/(^|\.)indexing\.failed$/, 'indexing.failed'],
  [/(^|\.)branch\.force-unlock$/, 'branch.force-unlock'],
];

/**
 * The operation a CloudEvent asks for. Seed 001 sends failures both as `indexing.failed` and as
 * `indexing.completed` with `data.status: "failed"`; both become `indexing.failed` (and a shadow build's
 * completion or progress with `status: "failed"` becomes `shadow.fail`).
 */
export function cloudEventOperation(event: Pick<CloudEvent, 'type' | 'data'>): OperationName {
  const found = TYPES.find(([re]) => re.test(event.type))?.[1];
  if (!found) throw new InvalidRequestError(`unknown event type ${event.type}`);
  const status = (event.data as { status?: unknown } | undefined)?.status;
  const failed = status === 'failed' || status === 'failure';
  if (found === 'indexing.completed' && failed) return 'indexing.failed';
  if ((found === 'shadow.complete' || found === 'shadow.progress') && failed) return 'shadow.fail';
  return found;
}

/** Checks the envelope's shape (`id`, `source`, `type`, `data`). */
export function parseCloudEvent(raw: unknown): CloudEvent {
  const e = raw as Partial<CloudEvent> | null;
  if (!e || typeof e.id !== 'string' || !e.id || typeof e.type !== 'string' || typeof e.source !== 'string') {
    throw new InvalidRequestError('a CloudEvent needs string id, source and type');
  }
  if (!e.data || typeof e.data !== 'object') throw new InvalidRequestError('a CloudEvent needs a data object');
  return e as CloudEvent;
}

/**
 * Handles one CloudEvent from any transport: maps its type to an operation, processes it once per
 * (event id, commit) — a redelivery or a second replica's copy answers `duplicate: true` — and runs it with
 * `caller` (whose `delivery` becomes the event id). The (id, commit) pair is claimed before the handler runs,
 * so two replicas never both process it; a handler that then fails does not un-claim it (see docs/indexing-api.md).
 */
export async function handleCloudEvent(
  ops: OperationContext,
  raw: unknown,
  caller: Caller,
): Promise<CloudEventOutcome> {
  const event = parseCloudEvent(raw);
  const operation = cloudEventOperation(event);
  const input = normaliseInput(operation, event.data, ops.defaultRepo);
  const rawCommit = camelKeys(event.data)['commit'];
  const commit = typeof rawCommit === 'string' ? rawCommit : '';
  // Refuse before claiming the id, so a caller without the right cannot burn an event id for the real sender.
  await authorizeOperation(ops, operation, input, caller);
  if (!(await ops.bot.freeze.firstDelivery(`event:${event.id}`, commit))) return { duplicate: true, operation };
  const result = await runOperation(ops, operation, input, { ...caller, delivery: event.id });
  return { duplicate: false, operation, result };
}
