import { describe, expect, it } from 'vitest';
import { CHECK_NAMES } from '../checks/check-result.js';
import type { MergeState } from './merge-api.js';
import { mergeConditions } from './merge-conditions.js';

const pull: MergeState = {
  number: 7,
  headSha: 'a'.repeat(40),
  headRef: 'f',
  baseRef: 'main',
  body: null,
  state: 'open',
  merged: false,
  draft: false,
  mergeable: true,
  mergeableState: 'clean',
};
const green = CHECK_NAMES.map((name) => ({ name, status: 'completed', conclusion: 'success' }));
const now = Date.parse('2026-01-02T00:00:00Z');
const on = { enabled: true, at: '2026-01-01T12:00:00Z', by: 'alice' };

describe('mergeConditions (seed 001: validation, conflicts, enabled, timeout)', () => {
  it('is met with auto-merge on, every aegis check green and GitHub mergeable', () => {
    expect(mergeConditions(pull, on, green, now, 24 * 3600_000)).toEqual([]);
  });

  it('follows GitHub’s mergeable_state: blocked, behind, dirty and drafts wait; unstable and has_hooks merge', () => {
    const table: [Partial<MergeState>, RegExp | undefined][] = [
      [{ mergeableState: 'blocked' }, /blocked/],
      [{ mergeableState: 'behind' }, /behind its base/],
      [{ mergeableState: 'dirty' }, /conflicts/],
      [{ draft: true, mergeableState: 'draft' }, /draft/],
      [{ mergeableState: 'unstable' }, undefined],
      [{ mergeableState: 'has_hooks' }, undefined],
    ];
    for (const [state, unmet] of table) {
      const said = mergeConditions({ ...pull, ...state }, on, green, now, 86_400_000);
      if (unmet) expect(said, JSON.stringify(state)).toEqual([expect.stringMatching(unmet)]);
      else expect(said, JSON.stringify(state)).toEqual([]);
    }
  });

  it('names each unmet condition', () => {
    expect(mergeConditions(pull, undefined, green, now, 1)).toEqual([
      'auto-merge is off (comment `/auto-merge` to turn it on)',
    ]);
    expect(mergeConditions(pull, on, green, now, 3600_000)[0]).toMatch(/^auto-merge timed out/);
    expect(mergeConditions({ ...pull, mergeable: false }, on, green, now, 86_400_000)).toEqual([
      'GitHub reports conflicts with the base branch',
    ]);
    expect(mergeConditions({ ...pull, mergeable: null }, on, green, now, 86_400_000)[0]).toMatch(
      /not finished computing/,
    );
    const red = [{ name: 'aegis/validate', status: 'completed', conclusion: 'failure' }, ...green];
    expect(mergeConditions(pull, on, red, now, 86_400_000)).toEqual(['`aegis/validate` is failure']);
    expect(mergeConditions(pull, on, green.slice(1), now, 86_400_000)).toEqual([
      `\`aegis/validate\` has not run on aaaaaaa`,
    ]);
  });
});
