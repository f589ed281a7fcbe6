import type { ShadowBuild } from '@aegis/freeze';
import { describe, expect, it } from 'vitest';
import { CHECK_NAMES } from '../checks/check-result.js';
import { aPull } from '../test-support/fake-github-port.js';
import { autoMergeVerdict, matchShadow } from './auto-merge-verdict.js';
import type { AutoMergeFacts } from './auto-merge-verdict.js';

const HEAD_TREE = 'b'.repeat(40);
const now = Date.parse('2026-01-02T00:00:00Z');
const green = CHECK_NAMES.map((name) => ({ name, status: 'completed', conclusion: 'success' }));
const shadow = (id: string, treeHash: string): ShadowBuild =>
  ({ id, treeHash, indexType: 'search', state: 'BUILT', repo: 'acme/registry', branch: 'main' }) as ShadowBuild;

/** A PR that merges: auto-merge on an hour ago, green, mergeable and clean, a shadow built from its head. */
function facts(over: Partial<AutoMergeFacts> = {}): AutoMergeFacts {
  return {
    pull: aPull(7),
    setting: { enabled: true, at: '2026-01-01T23:00:00Z', by: 'alice' },
    checks: green,
    now,
    timeoutMs: 24 * 3600_000,
    shadows: { built: [shadow('old', 'c'.repeat(40)), shadow('fresh', HEAD_TREE)], headTree: HEAD_TREE },
    ...over,
  };
}
const pull = (fields: Parameters<typeof aPull>[1]) => ({ pull: aPull(7, fields) });

describe('autoMergeVerdict: when a PR merges by itself', () => {
  it('merges through the shadow built from the head tree, not a stale one', () => {
    expect(autoMergeVerdict(facts())).toEqual({
      merge: true,
      shadow: { ...shadow('fresh', HEAD_TREE), headTree: HEAD_TREE },
    });
  });

  // what differs from a PR that merges → the unmet condition said (undefined: it still merges)
  const table: [string, Partial<AutoMergeFacts>, RegExp | undefined][] = [
    ['mergeable null', pull({ mergeable: null }), /not finished computing mergeability/],
    ['mergeable false', pull({ mergeable: false, mergeableState: 'dirty' }), /^GitHub reports conflicts/],
    ['mergeable_state clean', pull({ mergeableState: 'clean' }), undefined],
    ['mergeable_state unstable (a non-required check failed)', pull({ mergeableState: 'unstable' }), undefined],
    ['mergeable_state has_hooks', pull({ mergeableState: 'has_hooks' }), undefined],
    ['mergeable_state blocked', pull({ mergeableState: 'blocked' }), /merge is blocked/],
    ['mergeable_state behind', pull({ mergeableState: 'behind' }), /behind its base/],
    ['a draft', pull({ draft: true, mergeableState: 'draft' }), /is a draft/],
    ['closed', pull({ state: 'closed' }), /pull request is closed/],
    ['auto-merge off', { setting: { enabled: false, at: '2026-01-01T23:00:00Z', by: 'a' } }, /auto-merge is off/],
    ['auto-merge never set', { setting: undefined }, /auto-merge is off/],
    ['timed out', { setting: { enabled: true, at: '2025-12-30T00:00:00Z', by: 'a' } }, /timed out/],
    [
      'a red check',
      { checks: [{ name: 'aegis/rbac', status: 'completed', conclusion: 'failure' }, ...green] },
      /`aegis\/rbac` is failure/,
    ],
    [
      'a check still running',
      { checks: [{ name: 'aegis/freeze', status: 'in_progress', conclusion: null }, ...green] },
      /`aegis\/freeze` is in_progress/,
    ],
    ['only other apps ran the checks (their runs are not listed)', { checks: [] }, /has not run on/],
    [
      'only a stale shadow',
      { shadows: { built: [shadow('old', 'c'.repeat(40))], headTree: HEAD_TREE } },
      /`old` was built from schema tree cccccccccc.*a stale index never switches in/,
    ],
    [
      'no shadow at all',
      { shadows: { built: [], headTree: HEAD_TREE } },
      /no shadow index has been built from the head's schema tree bbbbbbbbbb/,
    ],
  ];
  it.each(table)('%s', (_, over, unmet) => {
    const verdict = autoMergeVerdict(facts(over));
    if (!unmet) return expect(verdict.merge).toBe(true);
    expect(verdict.merge).toBe(false);
    expect(verdict.merge ? [] : verdict.unmet).toEqual(expect.arrayContaining([expect.stringMatching(unmet)]));
  });

  it('names every unmet condition at once', () => {
    const verdict = autoMergeVerdict(
      facts({ ...pull({ mergeable: false, draft: true }), checks: [], shadows: undefined }),
    );
    expect(verdict.merge ? [] : verdict.unmet).toHaveLength(2 + CHECK_NAMES.length + 1);
  });
});

describe('autoMergeVerdict: an indexed head branch instead of a shadow (seed 001)', () => {
  const indexed = (passed: boolean, commit?: string, errors: string[] = []) => ({
    indexed: { validation: { passed, errors }, commit },
    shadows: undefined,
  });
  const head = aPull(7).headSha;
  const table: [string, Partial<AutoMergeFacts>, string[]][] = [
    ['validation passed at the head', indexed(true, head), []],
    ['validation passed, no commit named', indexed(true), []],
    [
      'validation failed',
      indexed(false, head, ['count mismatch', 'missing ids']),
      ["the indexer's validation failed: count mismatch; missing ids"],
    ],
    ['validation failed without detail', indexed(false), ["the indexer's validation failed: no detail given"]],
    [
      'indexed an older commit',
      indexed(true, 'f'.repeat(40)),
      [`the index was built from fffffff, not the head ${head.slice(0, 7)}`],
    ],
  ];
  it.each(table)('%s', (_, over, unmet) => {
    const verdict = autoMergeVerdict(facts(over));
    expect(verdict).toEqual(unmet.length ? { merge: false, unmet } : { merge: true });
  });

  it('still needs the seed conditions (a conflict waits even when indexed)', () => {
    expect(autoMergeVerdict(facts({ ...indexed(true), ...pull({ mergeable: false }) }))).toEqual({
      merge: false,
      unmet: ['GitHub reports conflicts with the base branch'],
    });
  });
});

describe('matchShadow', () => {
  it('prefers the build of the head tree wherever it is in the list', () => {
    expect(matchShadow([shadow('a', 'x'), shadow('b', 'y')], 'y').build?.id).toBe('b');
    expect(matchShadow([shadow('a', 'x')], 'y')).toMatchObject({
      build: undefined,
      reason: expect.stringContaining('`a`') as unknown,
    });
  });
});
