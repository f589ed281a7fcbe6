import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ensureStreams, type EventNames, type InboundKind, type SchemaChangedData } from '@aegis/events';

/** A received `schema.changed`. */
export interface SchemaChanged {
  id: string;
  data: SchemaChangedData;
}

/**
 * A tiny indexing service that speaks only NATS, as a team's own would: a durable consumer of
 * `schema.changed`, and publishing `funnel.indexing.*` CloudEvents.
 */
export class IndexingStandIn {
  readonly received: SchemaChanged[] = [];
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly nc: NatsConnection,
    private readonly names: EventNames,
  ) {}

  static async start(natsUrl: string, names: EventNames): Promise<IndexingStandIn> {
    const nc = await connect({ servers: natsUrl, name: 'funnel-stand-in' });
    const jsm = await jetstreamManager(nc);
    const { outboundStream } = await ensureStreams(jsm, names);
    await jsm.consumers.add(outboundStream, {
      durable_name: 'funnel-schema-changed',
      filter_subject: names.schemaChanged,
      ack_policy: AckPolicy.Explicit,
    });
    const messages = await (await jetstream(nc).consumers.get(outboundStream, 'funnel-schema-changed')).consume();
    const standIn = new IndexingStandIn(nc, names);
    void (async () => {
      for await (const m of messages) {
        standIn.received.push(JSON.parse(m.string()) as SchemaChanged);
        m.ack();
        for (const wake of standIn.waiters.splice(0)) wake();
      }
    })();
    return standIn;
  }

  /** Resolves with the next `schema.changed` not yet taken. */
  async next(taken: number, timeoutMs = 20_000): Promise<SchemaChanged> {
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      for (const wake of this.waiters.splice(0)) wake();
    }, timeoutMs);
    while (this.received.length <= taken && !timedOut) await new Promise<void>((resolve) => this.waiters.push(resolve));
    clearTimeout(deadline);
    const event = this.received[taken];
    if (!event) throw new Error(`no schema.changed #${taken + 1} within ${timeoutMs} ms`);
    return event;
  }

  /** Publishes one indexing event (acknowledged by the stream). */
  async send(kind: InboundKind, id: string, data: Record<string, unknown>): Promise<void> {
    const event = {
      specversion: '1.0',
      id,
      source: 'funnel-service',
      type: `com.oms.${kind}`,
      time: new Date().toISOString(),
      data,
    };
    await jetstream(this.nc).publish(this.names.inbound[kind], JSON.stringify(event), { msgID: id });
  }

  async close(): Promise<void> {
    await this.nc.close();
  }
}
