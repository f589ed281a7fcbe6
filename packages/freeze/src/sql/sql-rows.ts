import type { IndexPointer, Lock, LockKind, LockScope, ShadowBuild, ShadowState } from '../types.js';

/** Row ↔ object mapping for the SQL store (bigint columns come back as strings from `pg`). */

type Row = Record<string, unknown>;

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string =>
  v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
const strOrNull = (v: unknown): string | null =>
  v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);
const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/** A lock row (also the JSON objects of `json_agg`). */
export function lockFromRow(r: Row): Lock {
  const lock: Lock = {
    id: str(r['id']),
    repo: str(r['repo']),
    branch: str(r['branch']),
    scope: str(r['scope']) as LockScope,
    kind: str(r['kind']) as LockKind,
    holder: str(r['holder']),
    reason: str(r['reason']),
    token: num(r['token']),
    createdAt: num(r['created_at']),
    heartbeatAt: num(r['heartbeat_at']),
    expiresAt: num(r['expires_at']),
    ttlMs: num(r['ttl_ms']),
    meta: json<Record<string, string>>(r['meta'] ?? {}),
  };
  if (r['resource_type'] !== null && r['resource_type'] !== undefined) lock.resourceType = str(r['resource_type']);
  if (r['resource_id'] !== null && r['resource_id'] !== undefined) lock.resourceId = str(r['resource_id']);
  return lock;
}

/** A shadow build row. */
export function shadowFromRow(r: Row): ShadowBuild {
  return {
    id: str(r['id']),
    repo: str(r['repo']),
    branch: str(r['branch']),
    indexType: str(r['index_type']),
    state: str(r['state']) as ShadowState,
    resourceTypes: json<string[]>(r['resource_types']),
    treeHash: str(r['tree_hash']),
    progressPercent: num(r['progress_percent']),
    etaSeconds: numOrNull(r['eta_seconds']),
    recordCount: numOrNull(r['record_count']),
    sizeBytes: numOrNull(r['size_bytes']),
    createdAt: num(r['created_at']),
    updatedAt: num(r['updated_at']),
    completedAt: numOrNull(r['completed_at']),
    error: strOrNull(r['error']),
  };
}

/** Shadow fields → columns (for INSERT and partial UPDATE). */
export const SHADOW_COLUMNS: Record<keyof ShadowBuild, string> = {
  id: 'id',
  repo: 'repo',
  branch: 'branch',
  indexType: 'index_type',
  state: 'state',
  resourceTypes: 'resource_types',
  treeHash: 'tree_hash',
  progressPercent: 'progress_percent',
  etaSeconds: 'eta_seconds',
  recordCount: 'record_count',
  sizeBytes: 'size_bytes',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  completedAt: 'completed_at',
  error: 'error',
};

/** A value as a SQL parameter (resource types as JSON text for jsonb). */
export function shadowParam(key: keyof ShadowBuild, value: unknown): unknown {
  return key === 'resourceTypes' ? JSON.stringify(value) : value;
}

/** A pointer row, or the empty pointer. */
export function pointerFromRow(
  ref: { repo: string; branch: string },
  indexType: string,
  r: Row | undefined,
): IndexPointer {
  return {
    repo: ref.repo,
    branch: ref.branch,
    indexType,
    active: r ? strOrNull(r['active']) : null,
    previous: r ? strOrNull(r['previous']) : null,
    switchedAt: r ? num(r['switched_at']) : 0,
  };
}
