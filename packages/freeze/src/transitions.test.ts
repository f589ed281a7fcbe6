import { describe, expect, it } from 'vitest';
import { allowedTransitions, BRANCH_STATES, type TransitionTrigger } from './domain/branch-transitions.js';
import { IllegalTransitionError } from './errors.js';
import type { FreezeService } from './freeze-service.js';
import { uniqueRef } from './test-support/backends.js';
import { BACKENDS, admin, funnel, useFreeze } from './test-support/suite.js';
import type { BranchRef, BranchState } from './types.js';

/** Drives a fresh branch into `state` through the service. */
async function reach(freeze: FreezeService, ref: BranchRef, state: BranchState): Promise<void> {
  const index = () => freeze.lockForIndexing({ ...ref, holder: 'funnel' }, funnel);
  if (state === 'LOCKED_FOR_WRITE') await index();
  if (state === 'READY') await index().then(() => freeze.completeIndexing(ref, funnel));
  if (state === 'ERROR') await index().then(() => freeze.failIndexing(ref, 'failed', funnel));
  if (state === 'ARCHIVED') await freeze.transition(ref, 'ARCHIVED', 'deleted', 'gone', admin);
}

/** Takes one edge through the operation that owns it (a start by another run: the same one again is a renewal). */
function take(freeze: FreezeService, ref: BranchRef, to: BranchState, trigger: TransitionTrigger): Promise<unknown> {
  if (trigger === 'indexing.started') return freeze.lockForIndexing({ ...ref, holder: 'funnel-2' }, funnel);
  if (trigger === 'indexing.completed') return freeze.completeIndexing(ref, funnel);
  if (trigger === 'indexing.failed') return freeze.failIndexing(ref, 'failed', funnel);
  return freeze.transition(ref, to, trigger, `by ${trigger}`, admin);
}

const EDGES = allowedTransitions().flatMap((e) => e.triggers.map((t) => [e.from, e.to, t] as const));
const allowed = new Set(allowedTransitions().map((e) => `${e.from}>${e.to}`));
const REFUSED = BRANCH_STATES.flatMap((from) =>
  BRANCH_STATES.filter((to) => !allowed.has(`${from}>${to}`)).map((to) => [from, to] as const),
);

describe.each(BACKENDS)('every branch transition on %s', (backend) => {
  const { freeze } = useFreeze(backend);

  it.each(EDGES)('%s → %s on %s', async (from, to, trigger) => {
    const ref = uniqueRef();
    await reach(freeze(), ref, from);
    expect((await freeze().getBranchState(ref)).state).toBe(from);
    await take(freeze(), ref, to, trigger);
    const after = await freeze().getBranchState(ref);
    expect(after.state).toBe(to);
    // Only LOCKED_FOR_WRITE keeps a lock (its indexing lock); every other state is reached with none left.
    expect(after.locks.map((l) => l.kind)).toEqual(to === 'LOCKED_FOR_WRITE' ? ['INDEXING'] : []);
  });

  it.each(REFUSED)('%s → %s is refused', async (from, to) => {
    const ref = uniqueRef();
    await reach(freeze(), ref, from);
    const trigger: TransitionTrigger =
      to === 'LOCKED_FOR_WRITE'
        ? 'indexing.started'
        : to === 'READY'
          ? 'indexing.completed'
          : to === 'ERROR'
            ? 'indexing.failed'
            : 'merged';
    const err = await take(freeze(), ref, to, trigger).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IllegalTransitionError);
    expect((await freeze().getBranchState(ref)).state).toBe(from);
  });
});
