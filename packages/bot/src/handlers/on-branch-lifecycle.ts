import type { BotContext } from '../bot-context.js';
import { eventScope } from './event-scope.js';
import type { EventContext } from './event-scope.js';

interface LifecyclePayload {
  ref: string;
  ref_type?: string;
  deleted?: boolean;
  created?: boolean;
  sender?: { login?: string };
}

/** The branch a `delete` (ref_type branch) or `push` event names, with what happened to it. */
function branchEvent(name: string, p: LifecyclePayload): { branch: string; gone: boolean } | undefined {
  if (name === 'delete') return p.ref_type === 'branch' ? { branch: p.ref, gone: true } : undefined;
  if (!p.ref.startsWith('refs/heads/') || (!p.deleted && !p.created)) return undefined;
  return { branch: p.ref.slice('refs/heads/'.length), gone: p.deleted === true };
}

/**
 * Seed 000's ARCHIVED: a deleted branch (the `delete` event, or a `push` with `deleted: true`) is archived —
 * its locks released, its shadow builds in flight cancelled — and a branch created again under an archived
 * name is restored to ACTIVE. Both are idempotent (GitHub sends a deletion as both events).
 */
export function onBranchLifecycle(bot: BotContext) {
  return async (context: EventContext): Promise<void> => {
    const seen = branchEvent(context.name, context.payload as LifecyclePayload);
    if (!seen) return;
    const scope = eventScope(context);
    const ref = { repo: scope.repo.fullName, branch: seen.branch };
    const actor = (context.payload as LifecyclePayload).sender?.login ?? 'github';
    const ctx = { actor, delivery: scope.delivery };
    if (seen.gone) {
      const out = await bot.freeze.archiveBranch(ref, `branch ${seen.branch} deleted by ${actor}`, ctx);
      if (out.archived) scope.log.info({ branch: seen.branch, released: out.released.length }, 'branch archived');
      return;
    }
    const status = await bot.freeze.getBranchState(ref);
    if (status.state === 'ARCHIVED')
      await bot.freeze.transition(ref, 'ACTIVE', 'restored', `branch ${seen.branch} created again by ${actor}`, ctx);
  };
}
