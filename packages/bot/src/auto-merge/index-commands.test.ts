import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryFreeze } from '../test-support/memory-freeze.js';
import type { MemoryFreeze } from '../test-support/memory-freeze.js';
import { AUTO_MERGE_SET } from './auto-merge-setting.js';
import { runIndexCommand } from './index-commands.js';
import type { IndexCommand, IndexReach } from './index-commands.js';

const TREE = 'a'.repeat(40);
let world: MemoryFreeze;
let n = 0;
beforeAll(async () => {
  world = await memoryFreeze();
});
afterAll(() => world.close());

/** A fresh branch; `built` shadows of the given index types are started and completed on it. */
async function branchWith(...built: string[]) {
  const ref = { repo: 'acme/registry', branch: `idx-${++n}` };
  const ctx = { actor: 'funnel-service' };
  const ids: string[] = [];
  for (const indexType of built) {
    const { shadow } = await world.freeze.shadow.start(
      { ...ref, indexType, resourceTypes: ['schema'], treeHash: TREE },
      ctx,
    );
    await world.freeze.shadow.complete(shadow.id, { recordCount: 10, sizeBytes: 1000 }, ctx);
    ids.push(shadow.id);
  }
  const scene = { ref, pr: 5, login: 'root', ctx: { actor: 'root', issue: '#9' } };
  const run = (cmd: IndexCommand, reach?: IndexReach) => runIndexCommand(world, reach, scene, cmd);
  return { ref, ids, run };
}
const shadow = (action: 'status' | 'switch' | 'rollback', arg?: string): IndexCommand => ({
  kind: 'shadow',
  action,
  ...(arg ? { arg } : {}),
});
const reach = (treeHash = TREE): IndexReach & { asked: unknown[] } => {
  const asked: unknown[] = [];
  return {
    asked,
    treeHash: async (ref, pr) => (asked.push([ref.branch, pr]), treeHash),
    evaluateAutoMerge: async (_repo, pull) => ({ pull, merged: false, reasons: ['`aegis/validate` is failure'] }),
  };
};

describe('/shadow status|switch|rollback', () => {
  it('status shows each index type built, or the one named (#16: not only `search`)', async () => {
    const b = await branchWith('SEARCH_INDEX', 'orders');
    const all = await b.run(shadow('status'));
    expect(all).toContain(`**${b.ref.branch}** \`SEARCH_INDEX\` index: active \`none\`, previous \`none\`.`);
    expect(all).toContain(`**${b.ref.branch}** \`orders\` index: active \`none\``);
    const one = await b.run(shadow('status', 'orders'));
    expect(one).not.toContain('SEARCH_INDEX');
    expect(one).toMatch(new RegExp(`\\| \`${b.ids[1]}\` \\| \`orders\` \\| BUILT \\| 100% \\|`));
    expect(await (await branchWith()).run(shadow('status'))).toMatch(/^No shadow builds on \*\*idx-\d+\*\*\.$/);
  });

  it('switch needs the indexing interface, then switches the build of the head tree in', async () => {
    const b = await branchWith('SEARCH_INDEX');
    expect(await b.run(shadow('switch'))).toBe('The indexing interface is not available in this deployment.');
    const r = reach();
    expect(await b.run(shadow('switch'), r)).toMatch(
      new RegExp(`^🔀 Switched ${b.ref.branch}'s \`SEARCH_INDEX\` index to \`${b.ids[0]}\` \\(lock held \\d+ ms\\)`),
    );
    expect(r.asked).toEqual([[b.ref.branch, 5]]);
    expect((await world.freeze.shadow.pointer(b.ref, 'SEARCH_INDEX')).active).toBe(b.ids[0]);
    expect(await b.run(shadow('switch', 'nope'), r)).toBe(`No BUILT shadow index \`nope\` on ${b.ref.branch}.`);
  });

  it('a stale build is refused by the integrity check', async () => {
    const b = await branchWith('search');
    expect(await b.run(shadow('switch'), reach('f'.repeat(40)))).toMatch(/^Not switched: /);
    expect((await world.freeze.shadow.pointer(b.ref, 'search')).active).toBeNull();
  });

  it('rollback takes the only index type, asks which of several, and says when there is nothing', async () => {
    expect(await (await branchWith()).run(shadow('rollback'))).toMatch(/^No shadow index on idx-\d+ to roll back\.$/);
    const two = await branchWith('a', 'b');
    expect(await two.run(shadow('rollback'))).toBe('Name the index to roll back: `/shadow rollback <b or a>`.');
    const one = await branchWith('search');
    expect(await one.run(shadow('rollback'))).toMatch(
      /^Not rolled back: no previous search index to roll back to on idx-\d+$/,
    );
  });
});

describe('/auto-merge [off]', () => {
  it('records the switch in the audit and replies what is still missing', async () => {
    const b = await branchWith();
    const on = await b.run({ kind: 'auto-merge', enabled: true }, reach());
    expect(on).toMatch(/^🤖 Auto-merge is on for 24 h/);
    expect(on).toMatch(/Still waiting for:\n- `aegis\/validate` is failure$/);
    expect(await b.run({ kind: 'auto-merge', enabled: false })).toBe('⏹️ Auto-merge is off for this pull request.');
    const records = (
      await world.freeze.queryAudit({ repo: 'acme/registry', branch: b.ref.branch, action: AUTO_MERGE_SET })
    ).records;
    expect(records.map((r) => [r.actor, r.resourceId, r.new])).toEqual([
      ['root', '5', { pr: 5, enabled: false }],
      ['root', '5', { pr: 5, enabled: true }],
    ]);
  });
});
