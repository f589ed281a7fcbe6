import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_NAMES } from '../checks/check-result.js';
import { tokenPrincipal } from '../rbac/authorize.js';
import { autoMergeContext } from '../test-support/auto-merge-context.js';
import { aPull, FakeGitHubPort, gitHubError } from '../test-support/fake-github-port.js';
import { memoryFreeze } from '../test-support/memory-freeze.js';
import type { MemoryFreeze } from '../test-support/memory-freeze.js';
import { AUTO_MERGE_SET } from './auto-merge-setting.js';
import { evaluateAutoMerge } from './evaluate-auto-merge.js';

const REPO = 'acme/registry';
const caller = {
  identity: 'funnel-service',
  principal: tokenPrincipal('funnel-service', ['indexer']),
  transport: 'api' as const,
};
const green = CHECK_NAMES.map((name) => ({ name, status: 'completed', conclusion: 'success' }));
let world: MemoryFreeze;
let pr = 0;

beforeAll(async () => {
  world = await memoryFreeze();
});
afterAll(() => world.close());

/** One PR (a fresh number per test) on GitHub-as-fields, with auto-merge switched on or not, green checks. */
async function scene(autoMerge: boolean | undefined, fields: Parameters<typeof aPull>[1] = {}) {
  const number = ++pr;
  const gh = new FakeGitHubPort({ pulls: [aPull(number, { headRef: `feature-${number}`, ...fields })] });
  gh.commitCheckRuns[aPull(number, fields).headSha] = green;
  if (autoMerge !== undefined) {
    await world.freeze.appendAudit({
      repo: REPO,
      branch: 'main',
      actor: 'alice',
      action: AUTO_MERGE_SET,
      issue: null,
      resourceType: 'pull',
      resourceId: String(number),
      reason: 'set',
      new: { pr: number, enabled: autoMerge },
      delivery: null,
    });
  }
  const ops = autoMergeContext(world.freeze, gh, REPO);
  const indexed = (passed = true) => ({
    kind: 'indexed' as const,
    ref: { repo: REPO, branch: `feature-${number}` },
    validation: { passed, errors: passed ? [] : ['count mismatch'] },
  });
  const steps = async () =>
    (await world.freeze.queryAudit({ repo: REPO, limit: 50 })).records
      .filter((r) => r.resourceId === String(number) && r.action !== AUTO_MERGE_SET)
      .map((r) => r.action);
  return { number, gh, ops, indexed, steps };
}

describe('evaluateAutoMerge: an indexed head branch (seed 001), GitHub as fields', () => {
  it('merges a PR that asked for it, at its head, tells it, and records the step', async () => {
    const s = await scene(true);
    const reports = await evaluateAutoMerge(s.ops, s.indexed(), caller);
    expect(reports).toEqual([{ pull: s.number, merged: true, reasons: [] }]);
    expect(s.gh.merges).toEqual([
      { pull: s.number, sha: aPull(s.number).headSha, message: `Merge #${s.number} (Aegis auto-merge)` },
    ]);
    expect(s.gh.commentsOn(s.number)).toEqual([`✅ Auto-merged at ${aPull(s.number).headSha.slice(0, 7)}.`]);
    expect(await s.steps()).toEqual(['auto-merge.merged']);
  });

  it('leaves alone PRs that never asked or turned it off', async () => {
    for (const setting of [undefined, false]) {
      const s = await scene(setting);
      expect(await evaluateAutoMerge(s.ops, s.indexed(), caller)).toEqual([]);
      expect(s.gh.callsOf('mergeState')).toEqual([]);
      expect(s.gh.merges).toEqual([]);
    }
  });

  it('waits, saying why, on the PR — or only in the audit when the command replies itself', async () => {
    const told = await scene(true, { mergeable: false, mergeableState: 'dirty' });
    const [report] = await evaluateAutoMerge(told.ops, told.indexed(false), caller);
    expect(report).toEqual({
      pull: told.number,
      merged: false,
      reasons: ['GitHub reports conflicts with the base branch', "the indexer's validation failed: count mismatch"],
    });
    expect(told.gh.commentsOn(told.number)).toEqual([
      "⏸️ Auto-merge is waiting:\n\n- GitHub reports conflicts with the base branch\n- the indexer's validation failed: count mismatch",
    ]);
    const quiet = await scene(true, { draft: true, mergeableState: 'draft' });
    await evaluateAutoMerge(quiet.ops, quiet.indexed(), caller, { announceBlocked: false });
    expect(quiet.gh.comments).toEqual([]);
    expect(await quiet.steps()).toEqual(['auto-merge.blocked']);
    expect(told.gh.merges.length + quiet.gh.merges.length).toBe(0);
  });

  it('reports a merge GitHub refuses, and a GitHub failure, without throwing', async () => {
    const refused = await scene(true);
    refused.gh.mergeAnswer = { merged: false, message: 'Required review missing' };
    const [no] = await evaluateAutoMerge(refused.ops, refused.indexed(), caller);
    expect(no).toEqual({ pull: refused.number, merged: false, reasons: ['Required review missing'] });
    expect(refused.gh.commentsOn(refused.number)).toEqual([
      '❌ Auto-merge failed: GitHub refused the merge: Required review missing',
    ]);
    const down = await scene(true);
    down.gh.failures.mergeState = gitHubError(502, 'bad gateway');
    const [failed] = await evaluateAutoMerge(down.ops, down.indexed(), caller);
    expect(failed).toEqual({
      pull: down.number,
      merged: false,
      reasons: ['auto-merge evaluation failed: bad gateway'],
    });
  });

  it('does nothing for a repository without an installation', async () => {
    const s = await scene(true);
    const elsewhere = { ...s.indexed(), ref: { repo: 'acme/other', branch: 'x' } };
    expect(await evaluateAutoMerge(s.ops, elsewhere, caller)).toEqual([]);
  });
});
