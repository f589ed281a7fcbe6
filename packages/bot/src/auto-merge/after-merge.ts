import { IllegalTransitionError } from '@aegis/freeze';
import type { FreezeService } from '@aegis/freeze';

/**
 * Seed 000/001: READY → ACTIVE once the indexed branch is merged. Called for every merged PR (by hand or
 * by auto-merge); a head branch that is not READY is left as it is.
 */
export async function headBranchMerged(
  bot: { freeze: Pick<FreezeService, 'getBranchState' | 'transition'> },
  repo: string,
  pull: { number: number; headRef: string; merged: boolean },
  delivery?: string,
): Promise<void> {
  if (!pull.merged) return;
  const ref = { repo, branch: pull.headRef };
  const status = await bot.freeze.getBranchState(ref);
  if (status.state !== 'READY') return;
  await bot.freeze
    .transition(ref, 'ACTIVE', 'merged', `PR #${pull.number} merged`, {
      actor: 'aegis',
      ...(delivery ? { delivery } : {}),
    })
    .catch((error: unknown) => {
      if (!(error instanceof IllegalTransitionError)) throw error; // another replica got there first
    });
}
