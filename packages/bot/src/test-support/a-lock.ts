import type { Lock } from '@aegis/freeze';

/** A fixed "now" for unit tests: 2026-01-02T00:00:00Z. */
export const NOW = Date.parse('2026-01-02T00:00:00Z');

/**
 * A live lock for unit tests: `aLock('schema:users', { pr: 12, ttlMin: 120 })` is PR 12's two-hour lock on
 * one schema; `aLock('*')` locks the branch, `aLock('schema:*')` every schema.
 */
export function aLock(
  on: string,
  options: {
    pr?: number;
    holder?: string;
    ttlMin?: number;
    id?: string;
    reason?: string;
    meta?: Record<string, string>;
  } = {},
): Lock {
  const ttlMs = (options.ttlMin ?? 30) * 60_000;
  const [type = '', id = ''] = on === '*' ? [] : [on.slice(0, on.indexOf(':')), on.slice(on.indexOf(':') + 1)];
  const target: Pick<Lock, 'scope' | 'resourceType' | 'resourceId'> =
    on === '*'
      ? { scope: 'BRANCH' }
      : id === '*'
        ? { scope: 'RESOURCE_TYPE', resourceType: type }
        : { scope: 'RESOURCE', resourceType: type, resourceId: id };
  return {
    repo: 'acme/registry',
    branch: 'main',
    ...target,
    id: options.id ?? `lock-${on}`,
    kind: 'MANUAL',
    holder: options.holder ?? 'someone',
    reason: options.reason ?? 'maintenance',
    token: 1,
    createdAt: NOW - 60_000,
    heartbeatAt: NOW - 60_000,
    expiresAt: NOW + ttlMs,
    ttlMs,
    meta: {
      ...(options.pr !== undefined ? { pr: String(options.pr), by: options.holder ?? 'someone' } : {}),
      ...options.meta,
    },
  };
}
