import { describe, expect, it } from 'vitest';
import { mergeWorld } from '../helpers/fake-github/merge-routes.js';
import type { TestPull } from '../helpers/fake-github/webhooks.js';
import { REPO } from '../bot/harness.js';
import { addColumn, harnessViews, startApiHarness, TOKENS } from './api-harness.js';
import { useHarness } from '../bot/use-harness.js';

// Auto-merge against what GitHub really says: other apps' check runs, mergeable_state, drafts, the merge methods
// the repository allows, and mergeability that is still being computed.
describe('auto-merge against GitHub as documented', () => {
  const harness = useHarness(startApiHarness);
  const { api, bodies, schema, pointer } = harnessViews(harness);
  const merged = () => mergeWorld(harness().fake.state).merged;
  let version = 1;

  /** Opens a PR adding a column, turns auto-merge on, builds a shadow from its head; returns the build id. */
  async function ready(
    number: number,
    body: string,
    column: string,
    file = 'users',
  ): Promise<{ pull: TestPull; id: string }> {
    const h = harness();
    version += 1;
    const pull = await h.openPull(number, {
      author: 'alice',
      body,
      files: { [`.kiro/schemas/${file}.yaml`]: addColumn(await schema(file), column, `1.${version}.0`) },
    });
    expect(await h.comment(number, 'alice', '/auto-merge')).toContain('Auto-merge is on');
    const started = await api(TOKENS.indexer, 'POST', 'shadow-index/start', {
      branch_name: 'main',
      index_type: 'search',
      commit: pull.headSha,
    });
    expect(started.status).toBe(201);
    return { pull, id: (started.body['shadow'] as { id: string }).id };
  }
  const complete = (id: string) =>
    api(TOKENS.indexer, 'POST', `shadow-index/${id}/complete`, { record_count: 10, index_size_bytes: 1024 });
  const cancel = (id: string) => api(TOKENS.indexer, 'POST', `shadow-index/${id}/cancel`, { reason: 'test over' });

  it('another app’s check run of the same name does not satisfy the gate', async () => {
    const h = harness();
    const { pull, id } = await ready(601, 'No issue linked.', 'c601');
    expect(h.fake.state.latestCheck('aegis/audit', pull.headSha)?.conclusion).toBe('failure');
    // A workflow job named like our check, green, newer than ours.
    const actions = { repo: REPO.fullName, headSha: pull.headSha, conclusion: 'success', appId: 15368 };
    h.fake.state.addForeignCheckRun({ ...actions, name: 'aegis/audit' });
    const before = await pointer();
    await complete(id);
    expect(merged()).not.toContain(601);
    expect(await pointer()).toBe(before);
    expect(bodies(601).some((b) => b.includes('`aegis/audit` is failure'))).toBe(true);
    await cancel(id);
  });

  it('does not switch the index while GitHub says the PR cannot merge yet (reviews pending: blocked)', async () => {
    const h = harness();
    const { id } = await ready(602, 'Fixes #612', 'c602');
    mergeWorld(h.fake.state).mergeableState.set(602, 'blocked');
    const before = await pointer();
    await complete(id);
    expect(merged()).not.toContain(602);
    expect(await pointer()).toBe(before);
    expect(bodies(602).some((b) => b.startsWith('↩️'))).toBe(false);
    expect(bodies(602).some((b) => b.includes('Auto-merge is waiting') && /blocked|review/.test(b))).toBe(true);
    await cancel(id);
  });

  it('never switches for a draft', async () => {
    const h = harness();
    const { pull, id } = await ready(603, 'Fixes #613', 'c603');
    h.fake.state.setPull(REPO.fullName, { ...pull, draft: true });
    const before = await pointer();
    await complete(id);
    expect(merged()).not.toContain(603);
    expect(await pointer()).toBe(before);
    expect(bodies(603).some((b) => b.includes('Auto-merge is waiting') && b.includes('draft'))).toBe(true);
    await cancel(id);
  });

  it('asks again while GitHub is still computing mergeability, then merges', async () => {
    const h = harness();
    const { id } = await ready(604, 'Fixes #614', 'c604');
    mergeWorld(h.fake.state).computing.set(604, 2);
    await complete(id);
    expect(merged()).toContain(604);
    expect(await pointer()).toBe(id);
  });

  it('merges with a method the repository allows (squash only)', async () => {
    const h = harness();
    const methods = h.fake.state.repos.get(REPO.fullName)!.mergeMethods;
    methods.delete('merge');
    methods.delete('rebase');
    // PR #604 merged a change to users: this one changes a schema still at its first version.
    const { id } = await ready(605, 'Fixes #615', 'c605', 'applications');
    await complete(id);
    methods.add('merge');
    methods.add('rebase');
    expect(merged()).toContain(605);
    expect(bodies(605).some((b) => b.startsWith('↩️'))).toBe(false);
  });
});
