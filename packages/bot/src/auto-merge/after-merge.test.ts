import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryFreeze } from '../test-support/memory-freeze.js';
import type { MemoryFreeze } from '../test-support/memory-freeze.js';
import { headBranchMerged } from './after-merge.js';
import { AUTO_MERGE_SET, autoMergeSettings } from './auto-merge-setting.js';

let world: MemoryFreeze;
beforeAll(async () => {
  world = await memoryFreeze();
});
afterAll(() => world.close());

const REPO = 'acme/registry';
const ctx = { actor: 'funnel-service' };

/** A head branch the indexer has indexed (READY), or one left ACTIVE. */
async function branch(name: string, ready: boolean) {
  const ref = { repo: REPO, branch: name };
  if (ready) {
    await world.freeze.lockForIndexing({ ...ref, holder: 'funnel-service', indexingId: name }, ctx);
    await world.freeze.completeIndexing(ref, ctx);
  }
  return async () => (await world.freeze.getBranchState(ref)).state;
}

describe('headBranchMerged: READY → ACTIVE once the indexed branch is merged (seed 000/001)', () => {
  const table: [string, boolean, boolean, string][] = [
    ['a merged READY head branch becomes ACTIVE', true, true, 'ACTIVE'],
    ['a closed, unmerged READY branch stays READY', true, false, 'READY'],
    ['a merged branch that was never indexed stays ACTIVE', false, true, 'ACTIVE'],
  ];
  it.each(table)('%s', async (_, ready, merged, after) => {
    const name = `head-${Math.random().toString(36).slice(2)}`;
    const state = await branch(name, ready);
    await headBranchMerged(world, REPO, { number: 3, headRef: name, merged }, 'delivery-1');
    expect(await state()).toBe(after);
  });
});

describe('autoMergeSettings: the newest switch per PR, from the audit log', () => {
  it('keeps the latest record of each PR and ignores records that name no PR', async () => {
    const set = (pr: string, enabled: boolean, actor: string) =>
      world.freeze.appendAudit({
        repo: 'acme/settings',
        branch: 'main',
        actor,
        action: AUTO_MERGE_SET,
        issue: null,
        resourceType: 'pull',
        resourceId: pr,
        reason: 'set',
        new: { enabled },
        delivery: null,
      });
    await set('4', true, 'alice');
    await set('4', false, 'bob');
    await set('5', true, 'carol');
    await set('not-a-pr', true, 'mallory');
    const settings = await autoMergeSettings(world.freeze, 'acme/settings');
    expect([...settings.keys()].sort()).toEqual([4, 5]);
    expect(settings.get(4)).toMatchObject({ enabled: false, by: 'bob' });
    expect(settings.get(5)).toMatchObject({ enabled: true, by: 'carol' });
  });
});
