/**
 * `@aegis/events`: the registry's event bus over NATS JetStream — `schema.changed` out through a durable
 * outbox, indexing events in through a durable queue-group consumer. See docs/events.md.
 */
export const EVENTS_PACKAGE = '@aegis/events';
