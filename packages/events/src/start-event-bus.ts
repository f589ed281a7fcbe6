import { hostname } from 'node:os';
import type { FreezeService, SqlClient } from '@aegis/freeze';
import { jetstream, jetstreamManager, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { CloudEvent } from './cloud-event.js';
import { consumeInbound } from './consume-inbound.js';
import { ensureConsumer, ensureStreams, type StreamLayout } from './ensure-streams.js';
import { eventNames, type EventNames } from './event-names.js';
import { InboundDispatcher, type InboundHandlers, type Outcome, type RetryPolicy } from './inbound-dispatcher.js';
import { OutboxPublisher, type EventLogger, type OutboxPublisherOptions } from './outbox-publisher.js';
import { buildSchemaChanged, type PushInput, type SchemaChangedData } from './schema-changed.js';
import type { EventStore, ParkedEvent } from './event-store.js';
import { SqlEventStore } from './sql-event-store.js';

export interface EventBusOptions {
  /** `nats://host:4222` (or several, comma-separated). */
  natsUrl: string;
  /** The indexing operations; an operation without a handler is rejected (and audited). */
  handlers: InboundHandlers;
  /** Dedupe (`firstDelivery`) and audit. */
  freeze: Pick<FreezeService, 'firstDelivery' | 'appendAudit'>;
  /** Where the outbox and parked events live: SQL (PGlite or PostgreSQL; tables created) or a given store (Redis). */
  sql?: SqlClient;
  store?: EventStore;
  names?: EventNames;
  retry?: Partial<RetryPolicy>;
  outbox?: Partial<Omit<OutboxPublisherOptions, 'log'>>;
  /** How long a handler may run before the server redelivers (default 60 s). */
  ackWaitMs?: number;
  /** Dedupe window for event id + commit (default 24 h). */
  dedupeTtlMs?: number;
  /** This replica's name (connection name, drainer lease owner). */
  name?: string;
  /** The repository of inbound events that name none (the seeds' events do not). */
  defaultRepository?: string;
  /** Called last by `close()`, for a store the caller opened for the bus. */
  closeStore?: () => Promise<void>;
  /** Whether to consume inbound events (default true; `false` for a publish-only process). */
  consume?: boolean;
  log?: EventLogger;
  /** Called after each inbound message is dealt with (tests wait on it; metrics). */
  onOutcome?: (outcome: Outcome, msg: JsMsg) => void;
}

/** A running bus. */
export interface EventBus {
  readonly names: EventNames;
  /** Resolves once connected with streams and consumer in place (NATS may come up after start). */
  readonly ready: Promise<StreamLayout>;
  /** Adds an event to the outbox (published in order, retried until acknowledged); false if already there. */
  publish(subject: string, event: CloudEvent<unknown>): Promise<boolean>;
  /** Builds the push's `schema.changed` and puts it in the outbox; undefined when the registry did not change. */
  publishSchemaChanged(push: PushInput): Promise<CloudEvent<SchemaChangedData> | undefined>;
  /** Events not yet acknowledged by the stream. */
  backlog(): Promise<{ pending: number; oldest: string | null }>;
  /** Resolves when the outbox has nothing left to publish (or rejects after `timeoutMs`). */
  drained(timeoutMs?: number): Promise<void>;
  parked(): Promise<ParkedEvent[]>;
  close(): Promise<void>;
}

const quiet: EventLogger = { info: () => undefined, warn: () => undefined };

/**
 * Starts the event bus: opens its SQL tables (or takes the given store), connects to NATS (retrying until it
 * answers, in the background), creates or checks the stream and the durable queue-group consumer, consumes
 * inbound operations with the given handlers, and publishes the outbox. Nothing waits for NATS: events queue
 * in the outbox meanwhile.
 */
export async function startEventBus(options: EventBusOptions): Promise<EventBus> {
  if (!options.store && !options.sql) throw new Error('startEventBus needs sql or store (where the outbox lives)');
  const store = options.store ?? (await SqlEventStore.open(options.sql as SqlClient));
  return new NatsEventBus(options, store);
}

class NatsEventBus implements EventBus {
  readonly names: EventNames;
  readonly ready: Promise<StreamLayout>;
  private nc: NatsConnection | undefined;
  private js: JetStreamClient | undefined;
  private closed = false;
  private stopConsuming: (() => Promise<void>) | undefined;
  // While disconnected nothing is published: a publish buffered then would only wait out its ack timeout.
  private readonly link = { up: false };
  private readonly log: EventLogger;
  private readonly owner: string;
  private readonly publisher: OutboxPublisher;
  private readonly dispatcher: InboundDispatcher;

  constructor(
    private readonly options: EventBusOptions,
    private readonly store: EventStore,
  ) {
    this.names = options.names ?? eventNames();
    this.log = options.log ?? quiet;
    this.owner = options.name ?? `aegis-${hostname()}-${process.pid}`;
    this.publisher = new OutboxPublisher(store, () => (this.link.up ? this.js : undefined), {
      owner: this.owner,
      log: this.log,
      ...options.outbox,
    });
    this.dispatcher = new InboundDispatcher({
      names: this.names,
      handlers: options.handlers,
      freeze: options.freeze,
      store,
      retry: { backoffMs: [1000, 5000, 30_000, 120_000], maxAttempts: 5, ...options.retry },
      report: (subject, payload) => this.nc?.publish(subject, payload),
      log: this.log,
      dedupeTtlMs: options.dedupeTtlMs ?? 24 * 3600_000,
      ...(options.defaultRepository ? { defaultRepository: options.defaultRepository } : {}),
    });
    this.ready = this.setup();
    this.ready.catch((error: unknown) => this.log.warn({ err: String(error) }, 'event bus: setup failed'));
  }

  private async setup(): Promise<StreamLayout> {
    const conn = await connectUntilClosed(this.options.natsUrl, this.owner, () => this.closed, this.log);
    if (!conn || this.closed) {
      await conn?.close();
      throw new Error('event bus closed before NATS answered');
    }
    this.nc = conn;
    this.link.up = true;
    void watchStatus(conn, this.publisher, this.link, this.log);
    const jsm = await jetstreamManager(conn);
    const layout = await ensureStreams(jsm, this.names);
    if (this.options.consume !== false) {
      // Few unacknowledged messages at once: one waiting in a replica's buffer past ack_wait would be redelivered
      // elsewhere as a retry (retries skip the dedupe claim), so keep the queue short; handlers run one at a time.
      await ensureConsumer(jsm, layout.inboundStream, this.names, {
        ackWaitMs: this.options.ackWaitMs ?? 60_000,
        maxAckPending: 8,
      });
      this.stopConsuming = await consumeInbound(
        conn,
        layout.inboundStream,
        this.names.consumer,
        this.dispatcher,
        this.options.onOutcome,
      );
    }
    this.js = jetstream(conn);
    this.publisher.kick();
    this.log.info(
      { ...layout, consumer: this.names.consumer, queueGroup: this.names.queueGroup, name: this.owner },
      'event bus: ready',
    );
    return layout;
  }

  async publish(subject: string, event: CloudEvent<unknown>): Promise<boolean> {
    const added = await this.store.enqueue(event.id, subject, JSON.stringify(event));
    this.publisher.kick();
    return added;
  }

  async publishSchemaChanged(push: PushInput): Promise<CloudEvent<SchemaChangedData> | undefined> {
    const event = await buildSchemaChanged(push);
    if (!event || !(await this.publish(this.names.schemaChanged, event))) return event;
    // The first step of seed 000's scenario, audited like the steps the indexing service reports.
    const { data } = event;
    await this.options.freeze.appendAudit({
      repo: data.repository,
      branch: data.branch,
      actor: data.pusher ?? 'aegis',
      action: 'schema.changed',
      reason: `queued for ${this.names.schemaChanged}: ${data.schemas.map((c) => `${c.name}${c.breaking ? ' (breaking)' : ''}`).join(', ') || 'no schema change'}`,
      delivery: event.id,
      new: { after: data.after, registry_version: data.registry_version, breaking: data.breaking },
    });
    return event;
  }

  backlog(): Promise<{ pending: number; oldest: string | null }> {
    return this.store.backlog();
  }

  drained(timeoutMs = 30_000): Promise<void> {
    return untilDrained(this.store, this.publisher, timeoutMs);
  }

  parked(): Promise<ParkedEvent[]> {
    return this.store.parked();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.stopConsuming?.();
    await this.publisher.close();
    await this.nc?.drain().catch(() => undefined);
    await this.options.closeStore?.();
  }
}

/**
 * Connects, retrying with backoff until NATS answers or the bus is closed (a connect that waits by itself
 * could not be cancelled, and would keep a stopping process alive). Once connected, the client reconnects
 * by itself for ever.
 */
async function connectUntilClosed(
  url: string,
  name: string,
  isClosed: () => boolean,
  log: EventLogger,
): Promise<NatsConnection | undefined> {
  for (let wait = 250, tries = 1; !isClosed(); wait = Math.min(wait * 2, 5000), tries++) {
    try {
      return await connect({
        servers: url.split(','),
        name,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
        timeout: 2000,
      });
    } catch (error) {
      if (tries === 1)
        log.warn({ err: String(error), url }, 'event bus: NATS unreachable; events wait in the outbox, retrying');
      await new Promise<void>((resolve) => setTimeout(resolve, wait).unref());
    }
  }
  return undefined;
}

async function watchStatus(
  nc: NatsConnection,
  publisher: OutboxPublisher,
  link: { up: boolean },
  log: EventLogger,
): Promise<void> {
  for await (const status of nc.status()) {
    if (status.type === 'reconnect') {
      link.up = true;
      log.info({ server: status.server }, 'event bus: NATS is back, draining the outbox');
      publisher.kick();
    } else if (status.type === 'disconnect') {
      link.up = false;
      log.warn({ server: status.server }, 'event bus: NATS disconnected; events wait in the outbox');
    }
  }
}

async function untilDrained(store: EventStore, publisher: OutboxPublisher, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await publisher.idle();
    if ((await store.backlog()).pending === 0) return;
    if (Date.now() > deadline) throw new Error(`event outbox not drained within ${timeoutMs} ms`);
    publisher.kick();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
