import type { FreezeService } from '@aegis/freeze';
import type { JsMsg } from '@nats-io/jetstream';
import type { CloudEvent } from './cloud-event.js';
import type { EventNames, InboundKind } from './event-names.js';
import type { EventLogger } from './outbox-publisher.js';
import { parseInbound, type InboundData, type Rejection } from './parse-inbound.js';
import { REPLAY_HEADER } from './replay-parked.js';
import type { EventStore } from './event-store.js';

/** What a handler learns besides the data: enough for its audit records. */
export interface InboundContext {
  kind: InboundKind;
  event: CloudEvent<InboundData>;
  /** `data.actor`, else the event's `source`. */
  actor: string;
  /** The event id (audit `delivery`). */
  delivery: string;
  /** 1 for the first delivery, then 2, 3… for retries. */
  attempt: number;
}

/** One operation: the same function the HTTP API and `repository_dispatch` call. Throw to retry. */
export type InboundHandler = (data: InboundData, context: InboundContext) => Promise<unknown>;
export type InboundHandlers = Partial<Record<InboundKind, InboundHandler>>;

/** Retries of a failing handler: waits by attempt (the last repeats), then the event is parked. */
export interface RetryPolicy {
  backoffMs: number[];
  maxAttempts: number;
  /** Errors not worth retrying (parked at once); default: freeze's `invalid-request`. */
  isPermanent?: (error: unknown) => boolean;
}

export interface DispatcherDeps {
  names: EventNames;
  handlers: InboundHandlers;
  freeze: Pick<FreezeService, 'firstDelivery' | 'appendAudit'>;
  store: EventStore;
  retry: RetryPolicy;
  /** Sends a rejection report (core NATS) to the sender's side. */
  report: (subject: string, payload: string) => void;
  log: EventLogger;
  dedupeTtlMs: number;
  /** The repository of events that name none. */
  defaultRepository?: string;
}

/** What became of one message (for tests and metrics). */
export type Outcome = 'handled' | 'duplicate' | 'rejected' | 'retry' | 'parked';

const UNKNOWN = '(unknown)';
/** The commit half of the dedupe key, under the names the HTTP API also reads (so transports share keys). */
const commitOf = (data: InboundData): string => {
  const found = [data.commit, data['commit_hash'], data['commit_sha'], data['head_sha']].find(
    (v) => typeof v === 'string',
  );
  return typeof found === 'string' ? found : '';
};
// Retrying cannot fix a request freeze refuses as invalid, nor a caller without the permission.
const defaultPermanent = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  // Stable codes of @aegis/freeze's InvalidRequestError and @aegis/bot's ForbiddenError.
  return code === 'invalid-request' || code === 'forbidden';
};

/** Seed 002: a shadow build's completion may arrive as `indexing.completed` with `indexing_mode: shadow`. */
function route(kind: InboundKind, data: InboundData): { kind: InboundKind; data: InboundData } {
  if (kind !== 'indexing.completed' || data['indexing_mode'] !== 'shadow') return { kind, data };
  const shadow: InboundData = { ...data };
  if (data['records_indexed'] !== undefined && data['record_count'] === undefined)
    shadow['record_count'] = data['records_indexed'];
  return { kind: data['status'] === 'failed' ? kind : 'shadow.completed', data: shadow };
}

/**
 * Decides what happens to one inbound message: malformed → acknowledged (terminated), audited and reported;
 * duplicate (same event id + commit, seen before) → acknowledged; otherwise the operation's handler runs,
 * and a failure is retried with backoff (`nak` with a delay) until `maxAttempts`, then parked for an admin.
 */
export class InboundDispatcher {
  constructor(private readonly deps: DispatcherDeps) {}

  async handle(msg: JsMsg): Promise<Outcome> {
    const attempt = msg.info.deliveryCount;
    const parsed = parseInbound(this.deps.names, msg.subject, msg.data, this.deps.defaultRepository);
    try {
      if (!parsed.ok) return await this.reject(msg, parsed.rejection);
      const { kind, data } = route(parsed.value.kind, parsed.value.event.data);
      const event = parsed.value.event;
      const handler = this.deps.handlers[kind];
      if (!handler)
        return await this.reject(msg, {
          reason: `no handler for ${kind} on this registry`,
          id: event.id,
          repository: event.data.repository,
          branch: event.data.branch_name,
        });
      // A redelivery is the message this replica (or a dead one) already claimed: only first deliveries dedupe.
      if (attempt === 1 && !(await this.claim(msg, event))) {
        this.deps.log.info({ id: event.id, subject: msg.subject }, 'event bus: duplicate event ignored');
        msg.ack();
        return 'duplicate';
      }
      await handler(data, { kind, event, actor: event.data.actor ?? event.source, delivery: event.id, attempt });
      msg.ack();
      this.deps.log.info({ id: event.id, subject: msg.subject, attempt }, 'event bus: event handled');
      return 'handled';
    } catch (error) {
      return this.failed(msg, error, attempt, parsed.ok ? parsed.value.event : undefined);
    }
  }

  /** Claims the event: its (id, commit) seen for the first time, or an admin's replay of a parked row not yet taken. */
  private async claim(msg: JsMsg, event: CloudEvent<InboundData>): Promise<boolean> {
    const replay = Number(msg.headers?.get(REPLAY_HEADER) ?? '');
    if (Number.isInteger(replay) && replay > 0) return this.deps.store.unpark(replay);
    // The key handleCloudEvent uses too: the same event sent over NATS and HTTP is processed once.
    return this.deps.freeze.firstDelivery(`event:${event.id}`, commitOf(event.data), this.deps.dedupeTtlMs);
  }

  private async reject(msg: JsMsg, rejection: Rejection): Promise<Outcome> {
    const { names, freeze, report, log } = this.deps;
    await freeze.appendAudit({
      repo: rejection.repository ?? UNKNOWN,
      branch: rejection.branch ?? UNKNOWN,
      actor: 'event-bus',
      action: 'event.rejected',
      reason: rejection.reason,
      delivery: rejection.id ?? `${msg.info.stream}#${msg.seq}`,
      new: { subject: msg.subject, stream: msg.info.stream, stream_seq: msg.seq, event_id: rejection.id ?? null },
    });
    const body = {
      subject: msg.subject,
      stream_seq: msg.seq,
      event_id: rejection.id ?? null,
      reason: rejection.reason,
    };
    report(
      names.rejected,
      JSON.stringify({
        specversion: '1.0',
        id: `rejected:${msg.info.stream}:${msg.seq}`,
        source: 'aegis-registry',
        type: 'com.aegis.events.rejected',
        time: new Date().toISOString(),
        data: body,
      }),
    );
    log.warn(body, 'event bus: malformed event rejected');
    msg.term(rejection.reason.slice(0, 200));
    return 'rejected';
  }

  private async failed(
    msg: JsMsg,
    error: unknown,
    attempt: number,
    event: CloudEvent<InboundData> | undefined,
  ): Promise<Outcome> {
    const { retry, log } = this.deps;
    const permanent = (retry.isPermanent ?? defaultPermanent)(error);
    if (!permanent && attempt < retry.maxAttempts) {
      const wait = retry.backoffMs[Math.min(attempt - 1, retry.backoffMs.length - 1)] ?? 1000;
      log.warn(
        { err: String(error), subject: msg.subject, attempt, retryInMs: wait },
        'event bus: handler failed, will retry',
      );
      msg.nak(wait);
      return 'retry';
    }
    try {
      await this.park(msg, error, attempt, event);
    } catch (parkError) {
      // Nowhere to park (store down): leave the message to the server, to come back after the backoff.
      log.warn({ err: String(parkError), subject: msg.subject }, 'event bus: cannot park the event, will retry');
      msg.nak(retry.backoffMs.at(-1) ?? 1000);
      return 'retry';
    }
    msg.term('parked');
    return 'parked';
  }

  private async park(
    msg: JsMsg,
    error: unknown,
    attempts: number,
    event: CloudEvent<InboundData> | undefined,
  ): Promise<void> {
    const { store, freeze, log } = this.deps;
    const reason = error instanceof Error ? error.message : String(error);
    const parked = await store.park({
      eventId: event?.id ?? null,
      subject: msg.subject,
      payload: new TextDecoder().decode(msg.data),
      error: reason,
      attempts,
    });
    await freeze.appendAudit({
      repo: event?.data.repository ?? UNKNOWN,
      branch: event?.data.branch_name ?? UNKNOWN,
      actor: 'event-bus',
      action: 'event.parked',
      reason,
      delivery: event?.id ?? `${msg.info.stream}#${msg.seq}`,
      new: { subject: msg.subject, parked_id: parked.id, attempts },
    });
    log.warn(
      { subject: msg.subject, id: event?.id, parkedId: parked.id, attempts, err: reason },
      'event bus: event parked for an admin',
    );
  }
}
