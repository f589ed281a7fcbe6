/** The operations an indexing service sends; each has its own subject and the same handler as HTTP and dispatch. */
export const INBOUND_KINDS = [
  'indexing.started',
  'indexing.completed',
  'indexing.failed',
  'indexing.heartbeat',
  'shadow.started',
  'shadow.progress',
  'shadow.completed',
  'shadow.switch',
  'shadow.cancelled',
  'shadow.failed',
] as const;

export type InboundKind = (typeof INBOUND_KINDS)[number];

/** Stream, subjects, consumer and queue group: the seeds' names by default, every one configurable. */
export interface EventNames {
  /** The stream created (or extended) when no stream captures a subject yet. */
  stream: string;
  /** Where merged schema changes are published. */
  schemaChanged: string;
  /** One subject per inbound operation. */
  inbound: Record<InboundKind, string>;
  /** The durable consumer's filter: must cover every inbound subject. */
  inboundFilter: string;
  /** The durable consumer shared by every replica (seed 001). */
  consumer: string;
  /** The queue group the replicas join, so each event goes to one of them (seed 001). */
  queueGroup: string;
  /** Core-NATS subject where rejected (malformed) events are reported for their sender. */
  rejected: string;
}

/**
 * The default names, optionally under a subject prefix (`prefix: 'staging'` → `staging.schema.changed`,
 * `staging.funnel.indexing.completed`). Stream and consumer names cannot contain dots, so a prefix there
 * becomes `STAGING_`/`staging-`.
 */
export function eventNames(overrides: Partial<EventNames> & { prefix?: string } = {}): EventNames {
  const { prefix, ...rest } = overrides;
  const s = (subject: string): string => (prefix ? `${prefix}.${subject}` : subject);
  const tag = prefix ? prefix.replace(/[^A-Za-z0-9_-]/g, '_') : '';
  const inbound = Object.fromEntries(INBOUND_KINDS.map((kind) => [kind, s(`funnel.${kind}`)])) as Record<
    InboundKind,
    string
  >;
  return {
    stream: tag ? `${tag.toUpperCase()}_AEGIS_EVENTS` : 'AEGIS_EVENTS',
    schemaChanged: s('schema.changed'),
    inbound,
    inboundFilter: s('funnel.>'),
    consumer: tag ? `${tag}-funnel-indexing-consumer` : 'funnel-indexing-consumer',
    queueGroup: tag ? `${tag}-indexing-consumers` : 'indexing-consumers',
    rejected: s('aegis.events.rejected'),
    ...rest,
    ...(rest.inbound ? { inbound: { ...inbound, ...rest.inbound } } : {}),
  };
}

/** The inbound operation a subject carries, if any. */
export function kindOfSubject(names: EventNames, subject: string): InboundKind | undefined {
  return INBOUND_KINDS.find((kind) => names.inbound[kind] === subject);
}

/**
 * Names from the environment: `AEGIS_EVENTS_PREFIX`, `AEGIS_EVENTS_STREAM`, `AEGIS_EVENTS_SCHEMA_SUBJECT`,
 * `AEGIS_EVENTS_INBOUND_FILTER`, `AEGIS_EVENTS_CONSUMER`, `AEGIS_EVENTS_QUEUE`, and one
 * `AEGIS_EVENTS_SUBJECT_<KIND>` per inbound kind (`AEGIS_EVENTS_SUBJECT_INDEXING_COMPLETED`).
 */
export function eventNamesFromEnv(env: NodeJS.ProcessEnv = process.env): EventNames {
  const pick = (name: string): string | undefined => env[name] || undefined;
  const inbound: Partial<Record<InboundKind, string>> = {};
  for (const kind of INBOUND_KINDS) {
    const value = pick(`AEGIS_EVENTS_SUBJECT_${kind.replace('.', '_').toUpperCase()}`);
    if (value) inbound[kind] = value;
  }
  const overrides: Partial<EventNames> & { prefix?: string } = {};
  const set = <K extends keyof EventNames>(key: K, value: EventNames[K] | undefined): void => {
    if (value !== undefined) overrides[key] = value;
  };
  if (pick('AEGIS_EVENTS_PREFIX')) overrides.prefix = pick('AEGIS_EVENTS_PREFIX');
  set('stream', pick('AEGIS_EVENTS_STREAM'));
  set('schemaChanged', pick('AEGIS_EVENTS_SCHEMA_SUBJECT'));
  set('inboundFilter', pick('AEGIS_EVENTS_INBOUND_FILTER'));
  set('consumer', pick('AEGIS_EVENTS_CONSUMER'));
  set('queueGroup', pick('AEGIS_EVENTS_QUEUE'));
  const names = eventNames(overrides);
  return { ...names, inbound: { ...names.inbound, ...inbound } };
}
