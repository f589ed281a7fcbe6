import { retryAfterSeconds } from '@aegis/freeze';
import type { Lock } from '@aegis/freeze';

/**
 * "A pull request's locks" in one place: the metadata `/lock` writes on a PR, how such a lock is recognised,
 * who may release it, and what really blocks a PR (its own locks never do) and until when.
 */

/** A GitHub user as a lock holder's principal: `github:alice`, never equal to an API identity's `api:alice`. */
export function githubPrincipal(login: string): string {
  return `github:${login}`;
}

/** The metadata of a lock taken with `/lock` by `login`, on pull request `pr` when there is one. */
export function pullLockMeta(login: string, pr?: number): Record<string, string> {
  return { by: login, principal: githubPrincipal(login), ...(pr !== undefined ? { pr: String(pr) } : {}) };
}

/**
 * Who holds a lock, namespaced by kind of principal: `meta.principal` as written since principals have
 * namespaces; for older locks, `github:<by>` for a `/lock` lock (only `/lock` writes `by`), and otherwise
 * `<kind>:<holder>` (`indexing:funnel-service`) — a name no GitHub user's principal can equal.
 */
export function lockPrincipal(lock: Pick<Lock, 'meta' | 'holder' | 'kind'>): string {
  const written = lock.meta['principal'];
  if (written) return written;
  const by = lock.meta['by'];
  return by !== undefined && lock.kind === 'MANUAL' ? githubPrincipal(by) : `${lock.kind.toLowerCase()}:${lock.holder}`;
}

/** The pull request that took a lock, if a PR did. */
export function lockPull(lock: Pick<Lock, 'meta'>): number | undefined {
  const pr = lock.meta['pr'];
  return pr !== undefined && /^\d+$/.test(pr) ? Number(pr) : undefined;
}

/** Whether pull request `pr` took this lock. */
export function isPullLock(lock: Pick<Lock, 'meta'>, pr: number | undefined): boolean {
  return pr !== undefined && lockPull(lock) === pr;
}

/** The locks pull request `pr` took. */
export function pullLocks(locks: readonly Lock[], pr: number | undefined): Lock[] {
  return locks.filter((l) => isPullLock(l, pr));
}

/**
 * May GitHub user `login`, commenting on pull request `pr`, release this lock? The PR that took it may, and
 * so may its holder — compared as principals, so `alice` on GitHub never releases the API identity `alice`'s.
 */
export function mayRelease(
  lock: Pick<Lock, 'meta' | 'holder' | 'kind'>,
  who: { login: string; pr?: number | undefined },
): boolean {
  return isPullLock(lock, who.pr) || lockPrincipal(lock) === githubPrincipal(who.login);
}

/** What blocks a pull request's write, and when the last of those locks expires. */
export interface PullBlock {
  blocked: Lock[];
  /** Seconds until the last BLOCKING lock expires (0 when nothing blocks). */
  retryAfterSeconds: number;
}

/**
 * The locks that really block pull request `pr` — those covering what it writes (`locksBlockingWrite`), minus
 * the locks the PR took itself — and the retry-after recomputed over exactly those, at the store's clock `now`.
 */
export function whatBlocks(covering: readonly Lock[], pr: number | undefined, now: number): PullBlock {
  const blocked = covering.filter((l) => !isPullLock(l, pr));
  return { blocked, retryAfterSeconds: blocked.length ? retryAfterSeconds(blocked, now) : 0 };
}
