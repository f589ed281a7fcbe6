/**
 * `@aegis/events`: the registry's event bus over NATS JetStream — `schema.changed` out through a durable
 * outbox, indexing events in through a durable queue-group consumer. See docs/events.md.
 */
export { cloudEvent, eventType, type CloudEvent, type CloudEventInput } from './cloud-event.js';
export { INBOUND_KINDS, eventNames, eventNamesFromEnv, kindOfSubject, type EventNames, type InboundKind } from './event-names.js';
export { inboundJsonSchemas, schemaChangedJsonSchema, shippedJsonSchemas } from './event-schemas.js';
export { parseInbound, schemaChangedErrors, type InboundData, type InboundEvent, type ParsedInbound, type Rejection } from './parse-inbound.js';
export { buildSchemaChanged, type ChangedSchema, type PushInput, type SchemaChangedData } from './schema-changed.js';
