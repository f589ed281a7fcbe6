import type { InboundKind } from './event-names.js';

/**
 * JSON Schemas (draft-07) of every event on the bus: the CloudEvents envelope with the data of one
 * operation. They are the contract an indexing service is written against; `packages/events/schema/*.json`
 * is written from them (a test keeps the two equal) and the consumer validates every inbound event with them.
 */
type JsonSchema = Record<string, unknown>;

const BASE = 'https://aegis.dev/schemas/events/';
const str = { type: 'string', minLength: 1 };
const int = { type: 'integer', minimum: 0 };
const sha = { type: 'string', pattern: '^[0-9a-f]{40}([0-9a-f]{24})?$' };
const shortSha = { type: 'string', pattern: '^[0-9a-f]{7,64}$' };
const time = { type: 'string', format: 'date-time' };

/** Fields every inbound event's data has: where it applies and who says so. */
const target = {
  repository: {
    ...str,
    pattern: '^[^/\\s]+/[^/\\s]+$',
    description: 'owner/name of the registry repository; may be left out when the bot has AEGIS_DEFAULT_REPO.',
  },
  branch_name: { ...str, description: 'The branch the operation is about.' },
  commit: {
    ...shortSha,
    description: 'The commit indexed; with the event id it is the dedupe key (seed 004 phase 5).',
  },
  commit_hash: { ...shortSha, description: 'Same as commit (the name the HTTP API also accepts).' },
  actor: { ...str, description: 'Who acts (audit); defaults to the event source.' },
};

function envelope(file: string, title: string, description: string, data: JsonSchema): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `${BASE}${file}`,
    title,
    description,
    type: 'object',
    required: ['id', 'source', 'type', 'data'],
    properties: {
      specversion: { const: '1.0' },
      id: { ...str, maxLength: 200, description: 'Unique per event; a redelivery keeps it.' },
      source: { ...str, description: 'The sender, e.g. funnel-service.' },
      type: { ...str, description: 'Reverse-DNS type ending with the operation, e.g. com.aegis.indexing.completed.' },
      time,
      subject: { type: 'string' },
      datacontenttype: { const: 'application/json' },
      data,
    },
  };
}

function inbound(required: string[], properties: JsonSchema): JsonSchema {
  return { type: 'object', required: ['branch_name', ...required], properties: { ...target, ...properties } };
}

const validationResults = {
  type: 'object',
  required: ['passed'],
  properties: { passed: { type: 'boolean' }, errors: { type: 'array', items: {} } },
};

const schemaEntry = {
  type: 'object',
  required: ['name', 'status', 'breaking', 'changes', 'dependents'],
  properties: {
    name: str,
    file: str,
    status: { enum: ['added', 'removed', 'changed'] },
    owner: { type: ['string', 'null'] },
    version: { type: ['string', 'null'] },
    previous_version: { type: ['string', 'null'] },
    breaking: { type: 'boolean' },
    changes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind', 'breaking', 'reason'],
        properties: {
          kind: str,
          subject: { type: 'string' },
          breaking: { type: 'boolean' },
          reason: { type: 'string' },
        },
      },
    },
    dependents: {
      type: 'object',
      required: ['schemas', 'services'],
      properties: {
        schemas: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'direct'],
            properties: { name: str, direct: { type: 'boolean' } },
          },
        },
        services: { type: 'array', items: str },
      },
    },
  },
};

/** `schema.changed`: published by the registry for every push to a protected branch that changes the registry. */
export const schemaChangedJsonSchema = envelope(
  'schema-changed.json',
  'schema.changed',
  'A merged change of the schema registry (seed 000, scenario 1).',
  {
    type: 'object',
    required: ['repository', 'branch', 'before', 'after', 'registry_version', 'breaking', 'schemas'],
    properties: {
      repository: str,
      branch: str,
      before: { type: ['string', 'null'], description: 'The commit before the push (null for a new branch).' },
      after: sha,
      registry_version: {
        type: ['string', 'null'],
        description:
          'The registry version hash (git tree id of the schema folder) after the push; null when the push removed the folder.',
      },
      previous_registry_version: { type: ['string', 'null'] },
      breaking: { type: 'boolean', description: 'Whether any change is breaking.' },
      pusher: { type: 'string' },
      schemas: { type: 'array', items: schemaEntry },
    },
  },
);

/** The inbound operations, after seeds 000–002 (field names as the seeds write them). */
export const inboundJsonSchemas: Record<InboundKind, JsonSchema> = {
  'indexing.started': envelope(
    'indexing-started.json',
    'indexing.started',
    'The indexing service starts indexing a branch: it becomes LOCKED_FOR_WRITE.',
    inbound(['indexing_id'], { indexing_id: str, ttl_seconds: int, reason: { type: 'string' } }),
  ),
  'indexing.completed': envelope(
    'indexing-completed.json',
    'indexing.completed',
    'Indexing finished (seed 001): READY, or ERROR when status is failed.',
    inbound(['indexing_id'], {
      indexing_id: str,
      status: { enum: ['success', 'failed'] },
      records_indexed: int,
      started_at: time,
      completed_at: time,
      validation_results: validationResults,
      indexing_mode: { enum: ['traditional', 'shadow'] },
      shadow_index_id: str,
      error: { type: 'string' },
    }),
  ),
  'indexing.failed': envelope(
    'indexing-failed.json',
    'indexing.failed',
    'Indexing failed: ERROR, every lock released.',
    inbound(['indexing_id'], { indexing_id: str, error: { type: 'string' } }),
  ),
  'indexing.heartbeat': envelope(
    'indexing-heartbeat.json',
    'indexing.heartbeat',
    "The run's holder renews its indexing lock (seed 002 TTL & heartbeat), naming the run by id or fencing token.",
    {
      ...inbound([], { indexing_id: str, fencing_token: int, ttl_seconds: int }),
      anyOf: [{ required: ['indexing_id'] }, { required: ['fencing_token'] }],
    },
  ),
  'shadow.started': envelope(
    'shadow-started.json',
    'shadow.started',
    'A shadow index build starts (seed 002); no lock is taken.',
    inbound(['index_type'], {
      index_type: str,
      resource_types: { type: 'array', items: str },
      tree_hash: str,
      shadow_index_id: str,
    }),
  ),
  'shadow.progress': envelope(
    'shadow-progress.json',
    'shadow.progress',
    'Build progress of a shadow index.',
    inbound(['shadow_index_id', 'progress_percent'], {
      shadow_index_id: str,
      progress_percent: { type: 'number', minimum: 0, maximum: 100 },
      estimated_completion_seconds: int,
      record_count: int,
      status: { enum: ['success', 'failed'], description: 'failed: the build failed (→ FAILED)' },
      error: { type: 'string' },
    }),
  ),
  'shadow.completed': envelope(
    'shadow-completed.json',
    'shadow.completed',
    'A shadow index is built.',
    inbound(['shadow_index_id'], {
      shadow_index_id: str,
      index_size_bytes: int,
      record_count: int,
      status: { enum: ['success', 'failed'], description: 'failed: the build failed (→ FAILED)' },
      error: { type: 'string' },
    }),
  ),
  'shadow.switch': envelope(
    'shadow-switch.json',
    'shadow.switch',
    'Switch a built shadow index in atomically.',
    inbound(['shadow_index_id'], {
      shadow_index_id: str,
      force_switch: { type: 'boolean' },
      validation_checks: {
        type: 'array',
        items: { enum: ['RECORD_COUNT_VALIDATION', 'SIZE_COMPARISON', 'INTEGRITY_CHECK'] },
      },
    }),
  ),
  'shadow.cancelled': envelope(
    'shadow-cancelled.json',
    'shadow.cancelled',
    'A shadow build is cancelled.',
    inbound(['shadow_index_id'], { shadow_index_id: str, reason: { type: 'string' } }),
  ),
  'shadow.failed': envelope(
    'shadow-failed.json',
    'shadow.failed',
    'A shadow build failed: FAILED, its switch locks and its slot released (seed 002).',
    inbound(['shadow_index_id'], { shadow_index_id: str, error: { type: 'string' } }),
  ),
};

/** Every shipped schema by file name (`schema/<file>`). */
export function shippedJsonSchemas(): Record<string, JsonSchema> {
  const files: Record<string, JsonSchema> = { 'schema-changed.json': schemaChangedJsonSchema };
  for (const schema of Object.values(inboundJsonSchemas)) files[String(schema['$id']).slice(BASE.length)] = schema;
  return files;
}
