import { OPERATION_PERMISSIONS } from '../indexing/index.js';
import type { OperationName } from '../indexing/index.js';
import { OPERATION_ROUTES } from './api-routes.js';
import { ANSWER_SCHEMAS } from './openapi-schemas.js';

type Json = Record<string, unknown>;

const ERROR = { $ref: '#/components/schemas/Error' };
const FROZEN = { $ref: '#/components/schemas/SchemaFrozen' };
const errors = (write: boolean): Json => ({
  '400': { description: 'Invalid input', content: { 'application/json': { schema: ERROR } } },
  '401': { description: 'No valid bearer token', content: { 'application/json': { schema: ERROR } } },
  '403': { description: "The token's roles lack the permission", content: { 'application/json': { schema: ERROR } } },
  ...(write
    ? {
        '409': { description: 'Not allowed in the current state', content: { 'application/json': { schema: ERROR } } },
        '423': {
          description: 'Refused during a freeze (seed 000)',
          headers: { 'Retry-After': { schema: { type: 'integer' } } },
          content: { 'application/json': { schema: FROZEN } },
        },
      }
    : {}),
  '503': {
    description: 'Lock store unreachable; the request may not have completed',
    content: { 'application/json': { schema: ERROR } },
  },
});

const repoParam = {
  name: 'repo',
  in: 'query',
  required: false,
  schema: { type: 'string' },
  description: 'owner/name (default AEGIS_DEFAULT_REPO)',
};

function pathParams(path: string): Json[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
}

/** Which component schema each operation answers with. */
const ANSWERS: { [N in OperationName]: string } = {
  'indexing.started': 'IndexingResult',
  'indexing.completed': 'IndexingResult',
  'indexing.failed': 'IndexingResult',
  'indexing.heartbeat': 'Heartbeat',
  'shadow.start': 'ShadowStatus',
  'shadow.progress': 'ShadowStatus',
  'shadow.complete': 'ShadowStatus',
  'shadow.switch': 'ShadowSwitch',
  'shadow.cancel': 'ShadowStatus',
  'shadow.fail': 'ShadowStatus',
  'shadow.status': 'ShadowStatus',
  'branch.force-unlock': 'ForceUnlock',
  'branch.set-state': 'SetState',
  'branch.status': 'BranchStatus',
  'locks.list': 'LockList',
  dashboard: 'Dashboard',
};
const schemaRef = (schema: string): Json => ({ $ref: `#/components/schemas/${schema}` });
const answerOf = (name: OperationName): Json => schemaRef(ANSWERS[name]);

function operationPaths(): Json {
  const paths: Record<string, Json> = {};
  for (const r of OPERATION_ROUTES) {
    const write = r.method === 'POST';
    paths[`/aegis/api/v1/${r.path}`] = {
      [r.method.toLowerCase()]: {
        operationId: r.operation,
        summary: r.summary,
        description: `Needs \`${OPERATION_PERMISSIONS[r.operation]}\`.`,
        parameters: [...pathParams(r.path), repoParam],
        ...(write
          ? {
              requestBody: {
                required: false,
                content: {
                  'application/json': {
                    schema: { type: 'object', description: 'Seed snake_case or camelCase fields' },
                  },
                },
              },
            }
          : {}),
        responses: {
          [r.created ? '201' : '200']: {
            description: 'Done (snake_case fields, ISO-8601 times)',
            content: { 'application/json': { schema: answerOf(r.operation) } },
          },
          ...errors(write),
        },
      },
    };
  }
  return paths;
}

const extraPaths: Json = {
  '/aegis/api/v1/branch-locks/check/{branch}': {
    get: {
      operationId: 'branch.check',
      summary: 'May these resources be written now? 200, or 423 with who holds the lock',
      parameters: [
        { name: 'branch', in: 'path', required: true, schema: { type: 'string' } },
        repoParam,
        {
          name: 'resources',
          in: 'query',
          schema: { type: 'string' },
          description:
            'comma-separated `type:id`: schema:users, column:users.email, index:users.idx_users_email, rbac:policy',
        },
      ],
      responses: { '200': { description: 'Allowed' }, ...errors(true) },
    },
  },
  '/aegis/api/v1/events': {
    post: {
      operationId: 'events',
      summary: 'A CloudEvent (`indexing.completed`, `indexing.failed`, …); processed once per id + commit',
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/CloudEvent' } } },
      },
      responses: { '202': { description: 'Processed' }, '200': { description: 'Duplicate, ignored' }, ...errors(true) },
    },
  },
  '/aegis/api/v1/registry': {
    get: {
      operationId: 'registry',
      summary: 'The registry at a branch; ETag = version hash; `since` answers a delta; If-None-Match → 304',
      parameters: [
        repoParam,
        { name: 'ref', in: 'query', schema: { type: 'string' }, description: 'branch (default: the default branch)' },
        { name: 'since', in: 'query', schema: { type: 'string' }, description: 'a version hash (or since_hash)' },
      ],
      responses: {
        '200': { description: 'Full or delta', headers: { ETag: { schema: { type: 'string' } } } },
        '304': { description: 'Not modified' },
        ...errors(false),
      },
    },
  },
  '/aegis/api/v1/schemas': {
    get: {
      operationId: 'schemas',
      summary: 'Seed 004: the registry route under its seed name (`since_hash` = `since`)',
      parameters: [repoParam, { name: 'since_hash', in: 'query', schema: { type: 'string' } }],
      responses: { '200': { description: 'Full or delta' }, '304': { description: 'Not modified' }, ...errors(false) },
    },
  },
  '/aegis/api/v1/audit': {
    get: {
      operationId: 'audit',
      summary: 'Audit records, newest first (repo, branch, issue, action, since, cursor, limit)',
      parameters: [
        repoParam,
        ...['branch', 'action', 'since', 'cursor', 'limit'].map((name) => ({
          name,
          in: 'query',
          schema: { type: 'string' },
        })),
        { name: 'issue', in: 'query', schema: { type: 'string' }, description: '42, #42 or a key such as OMS-123' },
      ],
      responses: {
        '200': { description: 'A page', content: { 'application/json': { schema: schemaRef('AuditPage') } } },
        ...errors(false),
      },
    },
  },
  '/aegis/api/v1/whoami': {
    get: {
      operationId: 'whoami',
      summary: "The token's identity and roles",
      responses: { '200': { description: 'Identity' }, ...errors(false) },
    },
  },
};

/** The OpenAPI 3.1 document of `/aegis/api/v1`, served at `/aegis/api/v1/openapi.json`. */
export function openApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Aegis indexing-service API',
      version: '1.0.0',
      description: 'Branch locks, indexing and shadow-index operations (SPEC §4; seeds 000–002, 004).',
    },
    security: [{ bearer: [] }],
    paths: { ...operationPaths(), ...extraPaths },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        ...ANSWER_SCHEMAS,
        Error: {
          type: 'object',
          required: ['error', 'message'],
          properties: { error: { type: 'string' }, message: { type: 'string' } },
        },
        SchemaFrozen: {
          type: 'object',
          required: ['error', 'message', 'reason', 'retry_after'],
          properties: {
            error: { const: 'SchemaFrozen' },
            message: { type: 'string' },
            reason: { type: 'string' },
            retry_after: { type: 'integer' },
          },
        },
        CloudEvent: {
          type: 'object',
          required: ['id', 'source', 'type', 'data'],
          properties: {
            id: { type: 'string' },
            source: { type: 'string' },
            type: { type: 'string' },
            time: { type: 'string' },
            data: { type: 'object' },
          },
        },
      },
    },
  };
}
