import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenPrincipal } from '../rbac/authorize.js';
import { autoMergeContext } from '../test-support/auto-merge-context.js';
import { aPull, FakeGitHubPort } from '../test-support/fake-github-port.js';
import { memoryFreeze } from '../test-support/memory-freeze.js';
import type { MemoryFreeze } from '../test-support/memory-freeze.js';
import type { HeadShadow } from './auto-merge-verdict.js';
import { switchAndMerge } from './switch-and-merge.js';

const REPO = 'acme/registry';
const caller = { identity: 'aegis', principal: tokenPrincipal('aegis', []), transport: 'command' as const };
const ctx = { actor: 'test' };
let world: MemoryFreeze;
let n = 0;

beforeAll(async () => {
  world = await memoryFreeze();
});
afterAll(() => world.close());

/** A BUILT search index of `branch` from schema tree `tree`. */
async function built(branch: string, tree: string): Promise<HeadShadow> {
  const ref = { repo: REPO, branch };
  const { shadow } = await world.freeze.shadow.start(
    { ...ref, indexType: 'search', resourceTypes: [], treeHash: tree },
    ctx,
  );
  await world.freeze.shadow.complete(shadow.id, { recordCount: 10, sizeBytes: 1000 }, ctx);
  return { ...shadow, state: 'BUILT', headTree: tree };
}

/** A PR into a base branch of its own that already serves an `old` index; its own build from its head tree. */
async function scene(merge: { merged: boolean; message: string }, headTree = 'c'.repeat(40)) {
  const base = `base-${++n}`;
  const old = await built(base, 'a'.repeat(40));
  await world.freeze.shadow.switch(old.id, { currentTreeHash: old.treeHash }, ctx);
  const build = { ...(await built(base, 'c'.repeat(40))), headTree };
  const gh = new FakeGitHubPort({ pulls: [aPull(n, { baseRef: base })] });
  gh.mergeAnswer = merge;
  const told: string[] = [];
  const tell = async (action: string) => void told.push(action);
  const pull = aPull(n, { baseRef: base });
  const access = { gh, info: { fullName: REPO, defaultBranch: 'main' } };
  const report = await switchAndMerge(autoMergeContext(world.freeze, gh, REPO), access, pull, build, tell, caller);
  const active = (await world.freeze.shadow.pointer({ repo: REPO, branch: base }, 'search')).active;
  const steps = (await world.freeze.queryAudit({ repo: REPO, branch: base, limit: 50 })).records
    .filter((r) => r.action.startsWith('auto-merge.'))
    .map((r) => r.action);
  return { old, build, gh, report, active, told, steps };
}

describe('switchAndMerge: the PR head index switched in, the merge at the head, the switch undone when GitHub refuses', () => {
  it('switches, merges, and says so', async () => {
    const s = await scene({ merged: true, message: 'merged' });
    expect(s.report).toEqual({ pull: n, merged: true, reasons: [], switched: s.build.id, rolledBack: false });
    expect(s.active).toBe(s.build.id);
    expect(s.gh.merges.map((m) => m.pull)).toEqual([n]);
    expect(s.steps).toEqual(['auto-merge.switched']);
    expect(s.told).toEqual(['auto-merge.merged']);
  });

  it('rolls the switch back to the previous index when GitHub refuses the merge', async () => {
    const s = await scene({ merged: false, message: 'Required review missing' });
    expect(s.report).toEqual({
      pull: n,
      merged: false,
      reasons: ['Required review missing'],
      switched: s.build.id,
      rolledBack: true,
    });
    expect(s.active).toBe(s.old.id);
    expect(s.told).toEqual(['auto-merge.rolled-back']);
  });

  it('merges nothing when the switch is refused (a build of another tree than the head)', async () => {
    const s = await scene({ merged: true, message: 'merged' }, 'd'.repeat(40));
    expect(s.report.merged).toBe(false);
    expect(s.report.reasons.join()).toMatch(/INTEGRITY|tree/i);
    expect(s.gh.merges).toEqual([]);
    expect(s.active).toBe(s.old.id);
    expect(s.told).toEqual(['auto-merge.blocked']);
  });
});
