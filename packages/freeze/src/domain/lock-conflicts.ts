import { InvalidRequestError } from '../errors.js';
import type { Lock, LockTarget } from '../types.js';

/**
 * The lock conflict rules — the ONE place they live (store adapters only execute decisions made here).
 * All locks compared here belong to the same repository and branch.
 *
 * - BRANCH conflicts with every lock and every write on the branch;
 * - RESOURCE_TYPE `t` conflicts with RESOURCE_TYPE `t` and with every RESOURCE of type `t`;
 * - RESOURCE `t:id` conflicts with RESOURCE `t:id` and with the covering RESOURCE_TYPE `t` and BRANCH locks.
 */
export function targetsConflict(a: LockTarget, b: LockTarget): boolean {
  if (a.scope === 'BRANCH' || b.scope === 'BRANCH') return true;
  if (a.resourceType !== b.resourceType) return false;
  if (a.scope === 'RESOURCE_TYPE' || b.scope === 'RESOURCE_TYPE') return true;
  return a.resourceId === b.resourceId;
}

/** Live locks that conflict with `target`. */
export function conflictingLocks(target: LockTarget, locks: readonly Lock[], now: number): Lock[] {
  return locks.filter((l) => l.expiresAt > now && targetsConflict(target, l));
}

/** Splits a resource string `type:id` (the id may itself contain `:`). */
export function parseResource(resource: string): { resourceType: string; resourceId: string } {
  const at = resource.indexOf(':');
  if (at <= 0 || at === resource.length - 1)
    throw new InvalidRequestError(`resource must be "type:id", got "${resource}"`);
  return { resourceType: resource.slice(0, at), resourceId: resource.slice(at + 1) };
}

/** Live locks that block writing any of `resources` (each `type:id`). */
export function locksBlockingWrite(resources: readonly string[], locks: readonly Lock[], now: number): Lock[] {
  const blocking = new Set<Lock>();
  for (const resource of resources) {
    const target: LockTarget = { scope: 'RESOURCE', ...parseResource(resource) };
    for (const lock of conflictingLocks(target, locks, now)) blocking.add(lock);
  }
  return [...blocking];
}

/** Seconds until the last of `locks` expires (at least 1): the retry-after of a refusal. */
export function retryAfterSeconds(locks: readonly Lock[], now: number): number {
  const last = Math.max(now, ...locks.map((l) => l.expiresAt));
  return Math.max(1, Math.ceil((last - now) / 1000));
}

/** Checks that a target's fields match its scope; returns the normalised target. */
export function normaliseTarget(target: LockTarget): LockTarget {
  const { scope, resourceType, resourceId } = target;
  if (scope === 'BRANCH') return { scope };
  if (!resourceType) throw new InvalidRequestError(`${scope} lock needs a resourceType`);
  if (scope === 'RESOURCE_TYPE') return { scope, resourceType };
  if (scope !== 'RESOURCE') throw new InvalidRequestError(`unknown lock scope ${String(scope)}`);
  if (!resourceId) throw new InvalidRequestError('RESOURCE lock needs a resourceId');
  return { scope, resourceType, resourceId };
}

/** The resources a lock affects, as `type:id` with `*` wildcards (`*` = whole branch, `schema:*` = a type). */
export function affectedResources(target: LockTarget): string {
  if (target.scope === 'BRANCH') return '*';
  if (target.scope === 'RESOURCE_TYPE') return `${target.resourceType}:*`;
  return `${target.resourceType}:${target.resourceId}`;
}

/**
 * Whether a lock change on `affected` (as `affectedResources` writes them: `*`, `schema:*`, `schema:users`)
 * covers any of `resources` (`type:id`) — so a pull request writing them must be re-evaluated.
 */
export function lockChangeCovers(affected: readonly string[], resources: readonly string[]): boolean {
  return affected.some((a) => {
    if (a === '*') return true;
    if (a.endsWith(':*')) return resources.some((r) => r.startsWith(a.slice(0, -1)));
    return resources.includes(a);
  });
}
