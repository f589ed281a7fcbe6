import { InvalidRequestError } from '../errors.js';
import type { Lock, LockTarget } from '../types.js';

/**
 * The lock conflict rules — the ONE place they live (store adapters only execute decisions made here).
 * All locks compared here belong to the same repository and branch.
 *
 * Resources are `type:id`. A table (`schema:<table>`) contains its parts, named `<table>.<part>`:
 * `column:users.email`, `reference:orders.user_id`, `index:users.idx_users_email` (core's `RESOURCE_TYPES`).
 * A lock covers what it names and everything inside it:
 * - BRANCH covers every resource of the branch;
 * - RESOURCE_TYPE `t` covers every resource of type `t` (`schema`: every table and everything inside them);
 * - RESOURCE `t:id` covers that resource (`schema:users`: the table and all its parts).
 * Two locks conflict when some resource is covered by both; a write is blocked by the locks covering it.
 */
const TABLE = 'schema';
const TABLE_PARTS: ReadonlySet<string> = new Set(['column', 'reference', 'index']);

/** The table a resource is a part of (`column:users.email` → `users`), if it is a part. */
function tableOf(target: LockTarget): string | undefined {
  if (!target.resourceType || !TABLE_PARTS.has(target.resourceType) || !target.resourceId) return undefined;
  const dot = target.resourceId.indexOf('.');
  return dot > 0 ? target.resourceId.slice(0, dot) : undefined;
}

/** Whether everything `inner` names lies inside what `outer` names. */
function within(inner: LockTarget, outer: LockTarget): boolean {
  if (outer.scope === 'BRANCH') return true;
  if (inner.scope === 'BRANCH') return false;
  const partOfTable = inner.resourceType !== undefined && TABLE_PARTS.has(inner.resourceType);
  if (outer.scope === 'RESOURCE_TYPE')
    return inner.resourceType === outer.resourceType || (outer.resourceType === TABLE && partOfTable);
  if (inner.scope !== 'RESOURCE') return false;
  if (inner.resourceType === outer.resourceType && inner.resourceId === outer.resourceId) return true;
  return outer.resourceType === TABLE && tableOf(inner) === outer.resourceId;
}

/** Whether a lock on `lock` covers writing `resource` (a RESOURCE target). */
export function lockCovers(lock: LockTarget, resource: LockTarget): boolean {
  return within(resource, lock);
}

/** Whether two lock targets name some resource in common. */
export function targetsConflict(a: LockTarget, b: LockTarget): boolean {
  if (within(a, b) || within(b, a)) return true;
  // Every column of every table vs the table `users`: users' columns are in both.
  const typeOfParts = (t: LockTarget) => t.scope === 'RESOURCE_TYPE' && TABLE_PARTS.has(t.resourceType ?? '');
  const oneTable = (t: LockTarget) => t.scope === 'RESOURCE' && t.resourceType === TABLE;
  return (typeOfParts(a) && oneTable(b)) || (typeOfParts(b) && oneTable(a));
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
    for (const lock of locks) if (lock.expiresAt > now && lockCovers(lock, target)) blocking.add(lock);
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

/** A lock's target from what `affectedResources` wrote (`*`, `schema:*`, `schema:users`). */
function targetOfAffected(affected: string): LockTarget {
  if (affected === '*') return { scope: 'BRANCH' };
  const { resourceType, resourceId } = parseResource(affected);
  return resourceId === '*'
    ? { scope: 'RESOURCE_TYPE', resourceType }
    : { scope: 'RESOURCE', resourceType, resourceId };
}

/**
 * Whether a lock change on `affected` (as `affectedResources` writes them: `*`, `schema:*`, `schema:users`)
 * covers any of `resources` (`type:id`) — so a pull request writing them must be re-evaluated.
 */
export function lockChangeCovers(affected: readonly string[], resources: readonly string[]): boolean {
  return affected.some((a) => {
    const lock = targetOfAffected(a);
    return (
      lock.scope === 'BRANCH' || resources.some((r) => lockCovers(lock, { scope: 'RESOURCE', ...parseResource(r) }))
    );
  });
}
