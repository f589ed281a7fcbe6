import type { FreezeService } from '@aegis/freeze';
import type { Log } from '../log.js';

/** A `push` or `delete` payload as far as a branch's life goes. */
export interface LifecyclePayload {
  ref: string;
  ref_type?: string;
  deleted?: boolean;
  created?: boolean;
  sender?: { login?: string };
}

/** What happened to a branch: gone (deleted) or created; undefined when the event is about no branch's life. */
export function branchEvent(event: string, p: LifecyclePayload): { branch: string; gone: boolean } | undefined {
  if (event === 'delete') return p.ref_type === 'branch' ? { branch: p.ref, gone: true } : undefined;
  if (!p.ref.startsWith('refs/heads/') || (!p.deleted && !p.created)) return undefined;
  return { branch: p.ref.slice('refs/heads/'.length), gone: p.deleted === true };
}

/**
 * Seed 000's ARCHIVED: a deleted branch is archived — its locks released, its shadow builds in flight
 * cancelled — and a branch created again under an archived name is restored to ACTIVE. Both are idempotent
 * (GitHub sends a deletion as both a `delete` and a `push` event).
 */
export async function branchLifecycle(
  freeze: Pick<FreezeService, 'archiveBranch' | 'getBranchState' | 'transition'>,
  where: { repo: string; delivery: string; log: Log },
  seen: { branch: string; gone: boolean },
  actor: string,
): Promise<void> {
  const ref = { repo: where.repo, branch: seen.branch };
  const ctx = { actor, delivery: where.delivery };
  if (seen.gone) {
    const out = await freeze.archiveBranch(ref, `branch ${seen.branch} deleted by ${actor}`, ctx);
    if (out.archived) where.log.info({ branch: seen.branch, released: out.released.length }, 'branch archived');
    return;
  }
  const status = await freeze.getBranchState(ref);
  if (status.state === 'ARCHIVED')
    await freeze.transition(ref, 'ACTIVE', 'restored', `branch ${seen.branch} created again by ${actor}`, ctx);
}
