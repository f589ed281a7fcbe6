import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { EventNames } from './event-names.js';

/** One message seen on the bus. `stream`/`seq` are absent for core-NATS reports (rejections). */
export interface TailedEvent {
  subject: string;
  stream?: string;
  seq?: number;
  /** When the stream stored it (or when it was seen). */
  time: string;
  body: string;
}

export interface TailOptions {
  natsUrl: string;
  names: EventNames;
  /** Replay what the streams hold instead of only new events. */
  all?: boolean;
  /** Stop after this many events. */
  limit?: number;
  signal?: AbortSignal;
  onEvent(event: TailedEvent): void;
}

async function streamOf(
  jsm: Awaited<ReturnType<typeof jetstreamManager>>,
  subject: string,
): Promise<string | undefined> {
  try {
    return await jsm.streams.find(subject);
  } catch {
    return undefined;
  }
}

/**
 * Prints what flows on the bus for operators: every message of the streams holding `schema.changed` and the
 * inbound subjects (ordered consumers: nothing is acknowledged, no durable state is left), plus rejection
 * reports. Read-only; resolves when `limit` events were seen or `signal` aborts.
 */
export async function tailEvents(options: TailOptions): Promise<number> {
  const nc = await connect({ servers: options.natsUrl.split(','), name: 'aegis-events-tail' });
  const stops: (() => void)[] = [];
  let seen = 0;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const emit = (event: TailedEvent): void => {
    if (options.limit !== undefined && seen >= options.limit) return;
    seen++;
    options.onEvent(event);
    if (options.limit !== undefined && seen >= options.limit) finish();
  };
  try {
    const jsm = await jetstreamManager(nc);
    const streams = new Set<string>();
    for (const subject of [options.names.schemaChanged, options.names.inboundFilter]) {
      const stream = await streamOf(jsm, subject);
      if (stream) streams.add(stream);
    }
    const js = jetstream(nc);
    for (const stream of streams) {
      const consumer = await js.consumers.get(stream, {
        deliver_policy: options.all ? DeliverPolicy.All : DeliverPolicy.New,
      });
      const messages = await consumer.consume();
      stops.push(() => void messages.stop());
      void (async () => {
        for await (const m of messages)
          emit({
            subject: m.subject,
            stream,
            seq: m.seq,
            time: new Date(m.info.timestampNanos / 1e6).toISOString(),
            body: m.string(),
          });
      })();
    }
    const reports = nc.subscribe(options.names.rejected);
    stops.push(() => reports.unsubscribe());
    void (async () => {
      for await (const m of reports) emit({ subject: m.subject, time: new Date().toISOString(), body: m.string() });
    })();
    if (options.limit === 0) finish();
    options.signal?.addEventListener('abort', finish, { once: true });
    await done;
  } finally {
    for (const stop of stops) stop();
    await nc.close();
  }
  return seen;
}

/** One line for a terminal: time, subject, what it is about, and the gist of its data. */
export function formatTailed(event: TailedEvent): string {
  let parsed: { id?: unknown; type?: unknown; data?: Record<string, unknown> } | undefined;
  try {
    parsed = JSON.parse(event.body) as typeof parsed;
  } catch {
    return `${event.time}  ${event.subject}  (not JSON, ${event.body.length} bytes)`;
  }
  const data = parsed?.data ?? {};
  const where = [data['repository'], data['branch'] ?? data['branch_name']]
    .filter((v) => typeof v === 'string')
    .join('@');
  const parts = [event.time, event.subject, where || '-', `id=${typeof parsed?.id === 'string' ? parsed.id : '?'}`];
  if (Array.isArray(data['schemas'])) {
    const names = (data['schemas'] as { name?: string; breaking?: boolean }[]).map(
      (s) => `${s.name ?? '?'}${s.breaking ? '!' : ''}`,
    );
    parts.push(`schemas=${names.join(',') || '-'}`, data['breaking'] ? 'BREAKING' : 'compatible');
  }
  for (const key of ['indexing_id', 'shadow_index_id', 'status', 'progress_percent', 'error', 'reason']) {
    if (data[key] !== undefined)
      parts.push(`${key}=${typeof data[key] === 'string' ? data[key] : JSON.stringify(data[key])}`);
  }
  return parts.join('  ');
}
