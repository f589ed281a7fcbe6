import { describe, expect, it } from 'vitest';
import { tokenPrincipal } from '../rbac/authorize.js';
import { useMemoryFreeze } from '../test-support/memory-freeze.js';
import { operationParts } from '../test-support/operation-parts.js';
import { setState } from './branch-handlers.js';

const REPO = 'acme/registry';
const admin = { identity: 'root', principal: tokenPrincipal('root', ['admin']), transport: 'api' as const };
const world = useMemoryFreeze();
let n = 0;

/** Only what set-state uses: the freeze facade, and re-checking PRs in a repository with no installation. */
const ports = () => ({
  bot: { freeze: world.freeze },
  github: async () => undefined,
  gate: operationParts(world.freeze).gate(async () => undefined),
});

describe('branch.set-state: an admin’s legal change by hand, with the trigger its edge takes', () => {
  it('archives (locks released), restores, and recovers from ERROR', async () => {
    const ref = { repo: REPO, branch: `set-${++n}` };
    const ops = ports();
    const ctx = { actor: 'root' };
    await world.freeze.acquireLock(
      { ...ref, scope: 'BRANCH', holder: 'dave', reason: 'migrating', ttlMs: 60_000 },
      ctx,
    );
    const archived = await setState(ops, { ...ref, state: 'ARCHIVED', reason: 'gone' }, admin);
    expect([archived.from, archived.to, archived.released.length]).toEqual(['ACTIVE', 'ARCHIVED', 1]);
    const restored = await setState(ops, { ...ref, state: 'ACTIVE', reason: 'back' }, admin);
    expect([restored.from, restored.to]).toEqual(['ARCHIVED', 'ACTIVE']);
    await world.freeze.lockForIndexing({ ...ref, holder: 'funnel', indexingId: 'idx' }, ctx);
    await world.freeze.failIndexing(ref, 'red', ctx);
    const recovered = await setState(ops, { ...ref, state: 'ACTIVE', reason: 'fixed' }, admin);
    expect([recovered.from, recovered.to]).toEqual(['ERROR', 'ACTIVE']);
    expect((await world.freeze.getBranchState(ref)).state).toBe('ACTIVE');
  });
});
