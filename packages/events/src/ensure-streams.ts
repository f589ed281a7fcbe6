import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import type { EventNames } from './event-names.js';

/** Where things live once set up: the streams capturing the outbound subject and the inbound filter. */
export interface StreamLayout {
  outboundStream: string;
  inboundStream: string;
}

/** A stream or consumer exists but cannot serve as configured (the message says what to change). */
export class EventBusConfigError extends Error {
  override name = 'EventBusConfigError';
}

const DAY_NS = 24 * 3600 * 1e9;
const ms = (n: number): number => n * 1e6;

async function streamFor(jsm: JetStreamManager, subject: string): Promise<string | undefined> {
  try {
    return await jsm.streams.find(subject);
  } catch {
    return undefined;
  }
}

async function exists(jsm: JetStreamManager, stream: string): Promise<boolean> {
  try {
    await jsm.streams.info(stream);
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates or checks the streams: a subject some stream already captures (a team's own `FUNNEL` stream) is
 * used where it is; the others go to `names.stream`, created with them (file storage, 7-day retention,
 * 2-minute duplicate window for publish dedupe) or extended to take them.
 */
export async function ensureStreams(jsm: JetStreamManager, names: EventNames): Promise<StreamLayout> {
  // Replicas start together: when another one creates or extends the stream between our look and our
  // change, the server refuses ours (name in use, duplicate subjects); looking again then finds its work.
  for (let attempt = 1; ; attempt++) {
    try {
      return await ensureStreamsOnce(jsm, names);
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

async function ensureStreamsOnce(jsm: JetStreamManager, names: EventNames): Promise<StreamLayout> {
  const wanted = [names.schemaChanged, names.inboundFilter];
  const found = await Promise.all(wanted.map((subject) => streamFor(jsm, subject)));
  const missing = wanted.filter((_, i) => found[i] === undefined);
  if (missing.length > 0) {
    if (await exists(jsm, names.stream)) {
      const info = await jsm.streams.info(names.stream);
      const subjects = new Set([...(info.config.subjects ?? []), ...missing]);
      await jsm.streams.update(names.stream, { subjects: [...subjects] });
    } else {
      await jsm.streams.add({
        name: names.stream,
        subjects: missing,
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        max_age: 7 * DAY_NS,
        duplicate_window: ms(120_000),
      });
    }
  }
  return { outboundStream: found[0] ?? names.stream, inboundStream: found[1] ?? names.stream };
}

/** Consumer settings that are ours to choose (defaults in `startEventBus`). */
export interface ConsumerSettings {
  ackWaitMs: number;
  maxAckPending: number;
}

/** The deliver subject of the shared push consumer: fixed per consumer, so every replica joins the same one. */
export const deliverSubject = (names: EventNames): string => `_aegis.deliver.${names.consumer}`;

/**
 * Creates the durable push consumer with its queue group (seed 001: `funnel-indexing-consumer` in
 * `indexing-consumers`), or checks an existing one has the same queue group and filter.
 */
export async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  names: EventNames,
  settings: ConsumerSettings,
): Promise<void> {
  try {
    const info = await jsm.consumers.info(stream, names.consumer);
    const { deliver_group: group, filter_subject: filter } = info.config;
    if (group !== names.queueGroup || (filter ?? '') !== names.inboundFilter) {
      throw new EventBusConfigError(
        `consumer ${names.consumer} on stream ${stream} has queue group ${group ?? '(none)'} and filter ${filter ?? '(none)'}, ` +
          `not ${names.queueGroup} and ${names.inboundFilter}: delete it (nats consumer rm ${stream} ${names.consumer}) or configure its names`,
      );
    }
    return;
  } catch (error) {
    if (error instanceof EventBusConfigError) throw error;
  }
  await jsm.consumers.add(stream, {
    durable_name: names.consumer,
    deliver_subject: deliverSubject(names),
    deliver_group: names.queueGroup,
    filter_subject: names.inboundFilter,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: ms(settings.ackWaitMs),
    max_ack_pending: settings.maxAckPending,
    max_deliver: -1,
  });
}
