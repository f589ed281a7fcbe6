import { randomUUID } from 'node:crypto';
import {
  startEventBus,
  type EventBus,
  type EventNames,
  type InboundHandlers,
  type InboundKind,
  type Outcome,
} from '@aegis/events';
import type { FreezeService } from '@aegis/freeze';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { deleteStream, privateNames, testDatabase, type TestDatabase } from './nats-support.js';

/** What each replica did with each message, and a way to wait for a condition on it (no sleeping). */
export class Outcomes {
  readonly seen: { replica: string; outcome: Outcome; subject: string; id: string | undefined; attempt: number }[] = [];
  private waiters: { check: () => boolean; resolve: () => void }[] = [];

  add(entry: Outcomes['seen'][number]): void {
    this.seen.push(entry);
    this.waiters = this.waiters.filter((w) => (w.check() ? (w.resolve(), false) : true));
  }

  /** Resolves once `check` holds (re-checked after every outcome), or rejects after `timeoutMs`. */
  until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${what}; seen ${JSON.stringify(this.seen)}`)),
        timeoutMs,
      );
      this.waiters.push({ check, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  count(outcome: Outcome): number {
    return this.seen.filter((s) => s.outcome === outcome).length;
  }
}

/** Replicas of the bus on one database and one NATS, plus a raw connection playing the indexing service. */
export class BusHarness {
  readonly outcomes = new Outcomes();
  readonly replicas: EventBus[] = [];
  readonly freezes: FreezeService[] = [];
  private constructor(
    readonly natsUrl: string,
    readonly names: EventNames,
    readonly db: TestDatabase,
    readonly nc: NatsConnection,
  ) {}

  static async start(natsUrl: string): Promise<BusHarness> {
    return new BusHarness(natsUrl, privateNames(), await testDatabase(), await connect({ servers: natsUrl }));
  }

  /** Starts one more replica with these handlers; resolves once it consumes. */
  async replica(
    name: string,
    handlers: InboundHandlers,
    retry = { backoffMs: [50, 100], maxAttempts: 3 },
  ): Promise<{ bus: EventBus; freeze: FreezeService }> {
    const { freeze, sql } = await this.db.open();
    const bus = await startEventBus({
      natsUrl: this.natsUrl,
      names: this.names,
      freeze,
      sql,
      handlers,
      name,
      retry,
      outbox: { backoffMs: [50, 100, 200], ackTimeoutMs: 1000 },
      onOutcome: (outcome, msg) => {
        let id: string | undefined;
        try {
          id = (JSON.parse(msg.string()) as { id?: string }).id;
        } catch {
          id = undefined;
        }
        this.outcomes.add({ replica: name, outcome, subject: msg.subject, id, attempt: msg.info.deliveryCount });
      },
    });
    await bus.ready;
    this.replicas.push(bus);
    this.freezes.push(freeze);
    return { bus, freeze };
  }

  /** Publishes raw bytes or an event (as JSON) on an inbound operation's subject, acknowledged by the stream. */
  async send(kind: InboundKind, body: unknown): Promise<void> {
    const payload = body instanceof Uint8Array || typeof body === 'string' ? body : JSON.stringify(body);
    await jetstream(this.nc).publish(this.names.inbound[kind], payload);
  }

  async close(): Promise<void> {
    for (const bus of this.replicas) await bus.close();
    await this.nc.close();
    await deleteStream(this.natsUrl, this.names);
    await this.db.drop();
  }
}

/** A seed-shaped inbound event for the test repository. */
export function inbound(
  kind: InboundKind,
  data: Record<string, unknown> = {},
  id: string = randomUUID(),
): Record<string, unknown> {
  return {
    specversion: '1.0',
    id,
    source: 'funnel-service',
    type: `com.aegis.${kind}`,
    time: new Date().toISOString(),
    data: {
      repository: 'acme/registry',
      branch_name: 'main',
      indexing_id: 'idx-1',
      shadow_index_id: 'shadow-1',
      index_type: 'search',
      progress_percent: 10,
      ...data,
    },
  };
}
