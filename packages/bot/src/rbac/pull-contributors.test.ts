import { describe, expect, it } from 'vitest';
import { PULL_COMMITS_CAP } from '../github.js';
import { aCommit } from '../test-support/fake-github-port.js';
import { pullContributors } from './pull-contributors.js';
import type { ContributorSources } from './pull-contributors.js';

// c1 ← c2 ← c3: alice opened the PR at c1, mallory pushed c2 onto her branch, alice pushed c3 on top.
const c1 = aCommit('c1');
const c2 = aCommit('c2', {
  parents: [c1.sha],
  author: null,
  committer: null,
  authorName: 'Alice',
  committerName: 'Alice',
});
const c3 = aCommit('c3', { parents: [c2.sha] });
const sha = (c: { sha: string }) => c.sha.slice(0, 7);
const from = (over: Partial<ContributorSources> = {}): ContributorSources => ({
  author: 'alice',
  headSha: c3.sha,
  pushes: [
    { login: 'alice', headSha: c1.sha },
    { login: 'mallory', headSha: c2.sha },
    { login: 'alice', headSha: c3.sha },
  ],
  commits: [c1, c2, c3],
  ...over,
});

describe('pullContributors: everyone who contributed since the merge base', () => {
  it.each<[string, Partial<ContributorSources>, Record<string, string[]>]>([
    [
      'the author alone, when she wrote and pushed every commit',
      { pushes: [{ login: 'alice', headSha: c3.sha }], commits: [c1, aCommit('c2', { parents: [c1.sha] }), c3] },
      {
        alice: [
          'opened the pull request',
          'pushed c300000',
          'authored c100000',
          'committed c100000',
          'authored c200000',
          'committed c200000',
          'authored c300000',
          'committed c300000',
        ],
      },
    ],
    [
      'a pusher of another user’s branch, even when the commit claims to be by the author',
      { commits: [c1, { ...c2, author: 'alice', committer: 'alice' }, c3] },
      { mallory: ['pushed c200000'] },
    ],
    [
      'a commit author who never pushed (a cherry-picked or merged commit)',
      { pushes: [], commits: [c1, aCommit('c2', { parents: [c1.sha], author: 'dave', committer: 'alice' }), c3] },
      { dave: ['authored c200000'] },
    ],
    [
      'a committer apart from the author',
      { pushes: [], commits: [c1, aCommit('c2', { parents: [c1.sha], author: 'alice', committer: 'eve' }), c3] },
      { eve: ['committed c200000'] },
    ],
    [
      'nobody for GitHub’s web committer (the author of a web edit is judged)',
      { pushes: [], commits: [aCommit('c3', { author: 'dave', committer: 'web-flow' })] },
      { dave: ['authored c300000'] },
    ],
    [
      'nobody for a push the branch no longer holds (force-pushed away)',
      { pushes: [{ login: 'mallory', headSha: aCommit('gone').sha }], commits: [c1, c3] },
      {},
    ],
  ])('judges %s', (_, over, expected) => {
    const { contributors } = pullContributors(from(over));
    expect(contributors[0]?.login).toBe('alice');
    const byLogin = Object.fromEntries(contributors.map((c) => [c.login, c.did]));
    for (const [login, did] of Object.entries(expected)) expect(byLogin[login], login).toEqual(did);
    if (Object.keys(expected).length === 0) expect(contributors.map((c) => c.login)).toEqual(['alice']);
  });

  it('lists each login once, case aside, with what it did in order', () => {
    const { contributors } = pullContributors(from({ pushes: [{ login: 'Alice', headSha: c3.sha }] }));
    expect(contributors.map((c) => c.login)).toEqual(['alice']);
    expect(contributors[0]?.did.slice(0, 2)).toEqual(['opened the pull request', 'pushed c300000']);
  });

  it.each<[string, Partial<ContributorSources>, string]>([
    ['the pusher who brought it', {}, `judged as mallory, who pushed it`],
    [
      'the PR author when no recorded push brought it',
      { pushes: [] },
      'judged as alice, who opened the pull request (no recorded push brought it)',
    ],
  ])('judges a commit whose people have no GitHub account as %s', (_, over, as) => {
    const { unmapped } = pullContributors(from(over));
    expect(unmapped).toEqual([
      `${sha(c2)}: no GitHub account has the email of its author Alice and committer Alice; ${as}`,
    ]);
  });

  it.each<[string, Partial<ContributorSources>, RegExp]>([
    [
      'GitHub lists no more than 250 commits',
      { commits: Array.from({ length: PULL_COMMITS_CAP }, (_, i) => aCommit(`d${i}`)) },
      /at most 250 commits/,
    ],
    ['the list does not reach the head', { headSha: aCommit('newer').sha }, /does not reach its head/],
  ])('says the list is incomplete when %s, and then judges every recorded pusher', (_, over, why) => {
    const result = pullContributors(from(over));
    expect(result.incomplete).toMatch(why);
    expect(result.contributors.map((c) => c.login)).toEqual(expect.arrayContaining(['alice', 'mallory']));
  });
});
