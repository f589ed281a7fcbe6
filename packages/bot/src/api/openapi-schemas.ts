/**
 * The answers of `/aegis/api/v1` as JSON Schemas for the OpenAPI document: snake_case fields and ISO-8601
 * times (`api/wire-format.ts`), with seed 002's names on the shadow answers.
 */
type Json = Record<string, unknown>;

const str = { type: 'string' };
const int = { type: 'integer' };
const bool = { type: 'boolean' };
const time = { type: 'string', format: 'date-time' };
const orNull = (schema: Json): Json => ({ anyOf: [schema, { type: 'null' }] });
const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const list = (items: Json): Json => ({ type: 'array', items });
const STATE = { enum: ['ACTIVE', 'LOCKED_FOR_WRITE', 'READY', 'ARCHIVED', 'ERROR'] };
const SHADOW_STATE = {
  enum: ['PREPARING', 'BUILDING', 'BUILT', 'SWITCHING', 'ACTIVE', 'CLEANUP', 'FAILED', 'CANCELLED'],
};

/** An object whose listed fields are all present. */
const obj = (properties: Json): Json => ({ type: 'object', required: Object.keys(properties), properties });
/** A change's answer: `audit_pending` (true) only when the change is made and its audit record is still queued. */
const change = (properties: Json): Json => {
  const schema = obj(properties);
  const pending = {
    ...bool,
    description: 'the change is made; its audit record is queued until the audit log answers',
  };
  return { ...schema, properties: { ...properties, audit_pending: pending } };
};

const lock = obj({
  id: str,
  repo: str,
  branch: str,
  scope: { enum: ['BRANCH', 'RESOURCE_TYPE', 'RESOURCE'] },
  kind: { enum: ['MANUAL', 'INDEXING', 'SWITCH', 'MAINTENANCE'] },
  holder: str,
  reason: str,
  token: { ...int, description: 'fencing token' },
  created_at: time,
  heartbeat_at: time,
  expires_at: time,
  ttl_ms: int,
  meta: { type: 'object', additionalProperties: str },
});

const shadowBuild = obj({
  id: str,
  repo: str,
  branch: str,
  index_type: str,
  state: SHADOW_STATE,
  resource_types: list(str),
  tree_hash: str,
  progress_percent: { type: 'number' },
  eta_seconds: orNull(int),
  record_count: orNull(int),
  size_bytes: orNull(int),
  created_at: time,
  updated_at: time,
  completed_at: orNull(time),
  error: orNull(str),
});

const shadowStatus = obj({
  shadow_index_id: str,
  branch_name: str,
  index_type: str,
  state: SHADOW_STATE,
  build_progress_percent: { type: 'number' },
  switch_ready: bool,
  estimated_switch_duration_seconds: int,
  estimated_completion_seconds: orNull(int),
  index_size_bytes: orNull(int),
  record_count: orNull(int),
  created_at: time,
  completed_at: orNull(time),
  error: orNull(str),
  shadow: ref('ShadowBuild'),
});

const branchStatus = obj({
  repo: str,
  branch: str,
  state: STATE,
  since: { ...orNull(time), description: 'null: the state was never changed (ACTIVE by default)' },
  reason: str,
  actor: str,
  locks: list(ref('Lock')),
  now: time,
});

/** The component schemas of the answers (merged into the OpenAPI document's `components.schemas`). */
export const ANSWER_SCHEMAS: Record<string, Json> = {
  Lock: lock,
  ShadowBuild: shadowBuild,
  ShadowStatus: shadowStatus,
  ShadowSwitch: {
    allOf: [
      ref('ShadowStatus'),
      obj({
        success: bool,
        switch_duration_ms: int,
        validation_passed: bool,
        verification_passed: bool,
        message: str,
        checks: list(obj({ check: str, passed: bool, detail: str })),
        errors: list(str),
        verification: orNull({ type: 'object', description: 'index_accessible, size_change_bytes, …' }),
        rolled_back: bool,
        forced: bool,
        pointer: obj({ index_type: str, active: orNull(str), previous: orNull(str), switched_at: time }),
      }),
    ],
  },
  BranchStatus: branchStatus,
  IndexingResult: change({
    repo: str,
    branch: str,
    from: STATE,
    to: STATE,
    lock: orNull(ref('Lock')),
    duration_ms: orNull(int),
    affected: list(str),
    reevaluated: list(int),
    auto_merge: list(obj({ pull: int, merged: bool, reasons: list(str) })),
  }),
  Heartbeat: obj({ repo: str, branch: str, lock: ref('Lock') }),
  ForceUnlock: change({ repo: str, branch: str, from: STATE, released: list(ref('Lock')), reevaluated: list(int) }),
  SetState: obj({ repo: str, branch: str, from: STATE, to: STATE, released: list(ref('Lock')) }),
  LockList: obj({ locks: list(ref('Lock')) }),
  Dashboard: obj({
    now: time,
    branches: list({ allOf: [ref('BranchStatus'), obj({ lock_ttl_seconds: { type: 'object' } })] }),
    locks: list(ref('Lock')),
    shadows: list(ref('ShadowBuild')),
    audit: list({ type: 'object' }),
    totals: obj({ active_locks: int, locked_branches: int, building_shadows: int }),
  }),
  AuditPage: obj({
    records: list(
      obj({
        id: str,
        at: time,
        repo: str,
        branch: str,
        actor: str,
        issue: orNull(str),
        action: str,
        resource_type: orNull(str),
        resource_id: orNull(str),
        old: { description: 'as recorded' },
        new: { description: 'as recorded' },
        reason: orNull(str),
        delivery: orNull(str),
        ip_address: orNull(str),
        user_agent: orNull(str),
      }),
    ),
    next_cursor: orNull(str),
  }),
};
