import { Ajv, type ValidateFunction } from 'ajv';
import type { CloudEvent } from './cloud-event.js';
import { INBOUND_KINDS, kindOfSubject, type EventNames, type InboundKind } from './event-names.js';
import { inboundJsonSchemas, schemaChangedJsonSchema } from './event-schemas.js';

/** The data fields every inbound event carries (more per kind; see the JSON Schemas). */
export interface InboundData extends Record<string, unknown> {
  repository: string;
  branch_name: string;
  commit?: string;
  actor?: string;
}

/** A valid inbound event: the operation and the CloudEvent. */
export interface InboundEvent {
  kind: InboundKind;
  event: CloudEvent<InboundData>;
}

/** Why an event was refused, for the audit record and the report to its sender. */
export interface Rejection {
  reason: string;
  /** The event id and data fields, when they could be read. */
  id?: string;
  repository?: string;
  branch?: string;
}

export type ParsedInbound = { ok: true; value: InboundEvent } | { ok: false; rejection: Rejection };

const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i;
let validators: Map<InboundKind, ValidateFunction> | undefined;

function validatorFor(kind: InboundKind): ValidateFunction {
  if (!validators) {
    const ajv = new Ajv({ allErrors: false, formats: { 'date-time': DATE_TIME } });
    validators = new Map(INBOUND_KINDS.map((k) => [k, ajv.compile(inboundJsonSchemas[k])]));
  }
  return validators.get(kind) as ValidateFunction;
}

const field = (value: unknown, key: string): string | undefined => {
  const v = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : undefined;
};

/**
 * Reads one message of an inbound subject: JSON, a CloudEvent whose `type` ends with the subject's
 * operation, data valid against the operation's JSON Schema (`repository` defaulting to `defaultRepository`). Never throws: anything else is a rejection
 * with the reason (and whatever identifying fields could be read).
 */
export function parseInbound(
  names: EventNames,
  subject: string,
  body: Uint8Array,
  defaultRepository?: string,
): ParsedInbound {
  const kind = kindOfSubject(names, subject);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (err) {
    return { ok: false, rejection: { reason: `not UTF-8 JSON: ${(err as Error).message}` } };
  }
  const data = json && typeof json === 'object' ? (json as Record<string, unknown>)['data'] : undefined;
  const known = { id: field(json, 'id'), repository: field(data, 'repository'), branch: field(data, 'branch_name') };
  const reject = (reason: string): ParsedInbound => ({ ok: false, rejection: { reason, ...known } });
  if (!kind) return reject(`no operation is configured for subject ${subject}`);
  const validate = validatorFor(kind);
  if (!validate(json)) {
    const error = validate.errors?.[0];
    return reject(
      `not a valid ${kind} event: ${error ? `${error.instancePath || '(event)'} ${error.message ?? ''}` : 'invalid'}`.trim(),
    );
  }
  const event = json as CloudEvent<InboundData>;
  if (event.type !== kind && !event.type.endsWith(`.${kind}`))
    return reject(`type ${event.type} does not match subject ${subject} (${kind})`);
  // The seeds' events name no repository: one registry per bot is the common case (AEGIS_DEFAULT_REPO).
  if (event.data.repository === undefined) {
    if (!defaultRepository)
      return reject('data.repository is missing and no default repository is configured (AEGIS_DEFAULT_REPO)');
    return { ok: true, value: { kind, event: { ...event, data: { ...event.data, repository: defaultRepository } } } };
  }
  return { ok: true, value: { kind, event } };
}

let schemaChangedValidator: ValidateFunction | undefined;

/** Why a value is not a valid `schema.changed` event (empty when it is): for tests and consumers in JS. */
export function schemaChangedErrors(value: unknown): string[] {
  schemaChangedValidator ??= new Ajv({ allErrors: true, formats: { 'date-time': DATE_TIME } }).compile(
    schemaChangedJsonSchema,
  );
  return schemaChangedValidator(value)
    ? []
    : (schemaChangedValidator.errors ?? []).map((e) => `${e.instancePath || '(event)'} ${e.message ?? ''}`.trim());
}
