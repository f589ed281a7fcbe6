import { SHADOW_IN_FLIGHT } from '@aegis/freeze';
import type { BranchState, TransitionTrigger } from '@aegis/freeze';
import { actorContext, reevaluate } from './after-change.js';
import type { Reevaluates } from './after-change.js';
import type { DashboardData, OperationHandler } from './index.js';
import type { FreezePort, ShadowPort } from './operation-ports.js';

/** `branch.force-unlock` (admin, seed 000 scenario 3): every lock released, state → ACTIVE, PRs re-checked. */
export const forceUnlock: OperationHandler<'branch.force-unlock', FreezePort<'forceUnlock'> & Reevaluates> = async (
  ops,
  input,
  caller,
) => {
  const ref = { repo: input.repo, branch: input.branch };
  const out = await ops.bot.freeze.forceUnlock(ref, input.reason, actorContext(caller));
  const reevaluated = await reevaluate(ops, ref, ['*']);
  return {
    ...ref,
    from: out.from,
    released: out.released,
    reevaluated,
    ...(out.auditPending ? { auditPending: true } : {}),
  };
};

/** The trigger an admin's set-state takes for each legal edge (everything else is refused: 409). */
function setStateTrigger(from: BranchState, to: BranchState): TransitionTrigger {
  if (to === 'ARCHIVED') return 'deleted';
  if (from === 'ARCHIVED') return 'restored';
  if (from === 'ERROR') return 'recovered';
  return 'force-unlock';
}

/** `branch.set-state` (admin, seed 000): a legal transition by hand, audited; indexing states stay the indexer's. */
export const setState: OperationHandler<
  'branch.set-state',
  FreezePort<'archiveBranch' | 'getBranchState' | 'transition'> & Reevaluates
> = async (ops, input, caller) => {
  const ref = { repo: input.repo, branch: input.branch };
  const ctx = actorContext(caller);
  if (input.state === 'ARCHIVED') {
    const out = await ops.bot.freeze.archiveBranch(ref, input.reason, ctx);
    return { ...ref, from: out.archived ? 'ACTIVE' : 'ARCHIVED', to: 'ARCHIVED', released: out.released };
  }
  const { state: from } = await ops.bot.freeze.getBranchState(ref);
  const out = await ops.bot.freeze.transition(ref, input.state, setStateTrigger(from, input.state), input.reason, ctx);
  await reevaluate(ops, ref, out.affected);
  return { ...ref, from: out.from, to: out.to, released: out.released };
};

/** `branch.status`: state, since when, why, and the live locks. */
export const branchStatus: OperationHandler<'branch.status', FreezePort<'getBranchState'>> = async (ops, input) =>
  ops.bot.freeze.getBranchState({ repo: input.repo, branch: input.branch });

/** `locks.list`: every live lock (of one repository). */
export const listLocks: OperationHandler<'locks.list', FreezePort<'listLocks'>> = async (ops, input) => ({
  locks: await ops.bot.freeze.listLocks(input.repo),
});

/** `dashboard`: branches and states, locks with seconds left, shadow builds in flight, recent audit. */
export const dashboard: OperationHandler<
  'dashboard',
  FreezePort<'listBranches' | 'queryAudit'> & ShadowPort<'list'>
> = async (ops, input) => {
  const [branches, shadows, audit] = await Promise.all([
    ops.bot.freeze.listBranches(input.repo),
    ops.bot.freeze.shadow.list({ ...(input.repo ? { repo: input.repo } : {}), states: SHADOW_IN_FLIGHT }),
    ops.bot.freeze.queryAudit({ ...(input.repo ? { repo: input.repo } : {}), limit: 25 }),
  ]);
  const now = branches[0]?.now ?? Date.now();
  const view: DashboardData['branches'] = branches.map((b) => ({
    ...b,
    lockTtlSeconds: Object.fromEntries(
      b.locks.map((l) => [l.id, Math.max(0, Math.round((l.expiresAt - b.now) / 1000))]),
    ),
  }));
  const locks = branches.flatMap((b) => b.locks);
  return {
    now,
    branches: view,
    locks,
    shadows,
    audit: audit.records.map((r) => ({
      id: r.id,
      at: r.at,
      actor: r.actor,
      action: r.action,
      branch: r.branch,
      reason: r.reason,
      issue: r.issue,
    })),
    totals: {
      activeLocks: locks.length,
      lockedBranches: branches.filter((b) => b.state !== 'ACTIVE' || b.locks.length > 0).length,
      buildingShadows: shadows.filter((s) => s.state !== 'BUILT').length,
    },
  };
};
