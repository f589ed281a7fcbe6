/**
 * `@aegis/events`: the registry's event bus over NATS JetStream — `schema.changed` out through a durable
 * outbox, indexing events in through a durable queue-group consumer. See docs/events.md.
 */
export { cloudEvent, eventType, type CloudEvent, type CloudEventInput } from './cloud-event.js';
export {
  INBOUND_KINDS,
  eventNames,
  eventNamesFromEnv,
  kindOfSubject,
  type EventNames,
  type InboundKind,
} from './event-names.js';
export { inboundJsonSchemas, schemaChangedJsonSchema, shippedJsonSchemas } from './event-schemas.js';
export {
  parseInbound,
  schemaChangedErrors,
  type InboundData,
  type InboundEvent,
  type ParsedInbound,
  type Rejection,
} from './parse-inbound.js';
export { buildSchemaChanged, type ChangedSchema, type PushInput, type SchemaChangedData } from './schema-changed.js';
export { SqlEventStore } from './sql-event-store.js';
export type { EventStore, OutboxEntry, ParkedEvent } from './event-store.js';
export {
  ensureStreams,
  ensureConsumer,
  deliverSubject,
  EventBusConfigError,
  type StreamLayout,
  type ConsumerSettings,
} from './ensure-streams.js';
export { OutboxPublisher, type OutboxPublisherOptions, type EventLogger } from './outbox-publisher.js';
export {
  InboundDispatcher,
  type InboundContext,
  type InboundHandler,
  type InboundHandlers,
  type Outcome,
  type RetryPolicy,
} from './inbound-dispatcher.js';
export { startEventBus, type EventBus, type EventBusOptions } from './start-event-bus.js';
export { operationHandlers, KIND_OPERATIONS, type RunOperation } from './operation-handlers.js';
export {
  startBotEvents,
  botEventsConfigFromEnv,
  openEventSql,
  openEventStore,
  type BotEventsConfig,
  type BotEventsOptions,
  type EventStoreConfig,
} from './start-bot-events.js';
export { tailEvents, formatTailed, type TailedEvent, type TailOptions } from './tail-events.js';
export { publishesBranch, eventBranchesFromEnv, type SchemaEventSink } from './schema-event-sink.js';
export { replayParked, REPLAY_HEADER } from './replay-parked.js';
export { RedisEventStore } from './redis-event-store.js';
