import { randomUUID } from 'node:crypto';

/**
 * A CloudEvents 1.0 event in structured JSON mode, as the seeds send them (`id`, `source`, `type`, `data`).
 * `subject` names what the event is about (`acme/registry@main`).
 */
export interface CloudEvent<D = Record<string, unknown>> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  datacontenttype: 'application/json';
  subject?: string;
  data: D;
}

/** What a builder needs; `id` and `time` default to a new UUID and now. */
export interface CloudEventInput<D> {
  type: string;
  source: string;
  data: D;
  subject?: string;
  id?: string;
  time?: Date;
}

/** Builds a CloudEvent with the envelope fields filled in. */
export function cloudEvent<D>(input: CloudEventInput<D>): CloudEvent<D> {
  return {
    specversion: '1.0',
    id: input.id ?? randomUUID(),
    source: input.source,
    type: input.type,
    time: (input.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    ...(input.subject ? { subject: input.subject } : {}),
    data: input.data,
  };
}

/** The CloudEvents `type` of a bus event: the seeds' reverse-DNS prefix and the operation (`com.aegis.schema.changed`). */
export const eventType = (operation: string): string => `com.aegis.${operation}`;
