import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { octokitGitHub } from '@aegis/bot';
import { execFileSync } from 'node:child_process';
import { createGitRepo, GIT_TEST_ENV } from '../helpers/git-repo.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { FakeGitHub, testAppCredentials } from '../helpers/fake-github/fake-github.js';
import { fetchOctokitAs } from '../helpers/fake-github/fetch-octokit.js';

const TOKEN = 'ghs_pull_commits';

// aegis/rbac judges who wrote a pull request's commits: the port lists them as GitHub does, every page, with the
// GitHub users GitHub mapped their emails to (null when none), at most 250 (#14).
describe('the commits of a pull request, through octokitGitHub against the fake GitHub', () => {
  let fake: FakeGitHub;
  let repo: GitRepo;
  const gh = () => octokitGitHub(fetchOctokitAs(fake.url, TOKEN), 'acme/reg');
  const pull = (number: number, headSha: string, headRef: string) =>
    fake.state.setPull('acme/reg', { number, headSha, headRef, baseRef: 'main', body: null, author: 'alice' });

  beforeAll(async () => {
    fake = await FakeGitHub.start(testAppCredentials());
    fake.state.tokens.add(TOKEN);
    fake.state.emails.set('alice@acme.test', 'alice');
    fake.state.emails.set('mallory@acme.test', 'mallory');
    repo = await createGitRepo({ files: { 'README.md': 'hello\n' } });
    fake.addRepo('acme/reg', repo.dir);
  });
  afterAll(async () => {
    expect(fake.unexpected()).toEqual([]);
    expect(fake.contractViolations()).toEqual([]);
    await fake.close();
    await repo.cleanup();
  });

  it('maps authors and committers to GitHub users, null when no account has the email, oldest first', async () => {
    await repo.branch('pr-1');
    const first = await repo.commit('by the test identity', { 'a.txt': '1\n' });
    await repo.write({ 'b.txt': '2\n' });
    await repo.git('add', '-A');
    await repo.git('commit', '-q', '-m', 'by mallory', '--author', 'Mallory <MALLORY@acme.test>');
    const second = await repo.sha();
    await repo.checkout('main');
    const onMain = await repo.commit('main moves on', { 'c.txt': '3\n' });
    pull(1, second, 'pr-1');

    const commits = await gh().pullCommits(1);
    expect(commits).toEqual([
      {
        sha: first,
        parents: [expect.any(String)],
        author: null,
        committer: null,
        authorName: 'Aegis Test',
        committerName: 'Aegis Test',
      },
      {
        sha: second,
        parents: [first],
        author: 'mallory',
        committer: null,
        authorName: 'Mallory',
        committerName: 'Aegis Test',
      },
    ]);
    expect(commits.map((c) => c.sha)).not.toContain(onMain);
  });

  it('pages 100 at a time and lists at most 250 commits, as GitHub documents', async () => {
    await repo.checkout('main');
    await repo.branch('pr-2');
    const loop = 'for i in $(seq 1 260); do git commit -q --allow-empty -m "c$i"; done';
    execFileSync('bash', ['-c', loop], { cwd: repo.dir, env: { ...process.env, ...GIT_TEST_ENV } });
    const head = await repo.sha();
    await repo.checkout('main');
    pull(2, head, 'pr-2');

    const commits = await gh().pullCommits(2);
    expect(commits).toHaveLength(250);
    expect(commits.map((c) => c.sha)).not.toContain(head);
    expect(fake.apiCalls(/pulls\/2\/commits/).map((c) => c.query.get('page'))).toEqual(['1', '2', '3']);
  });
});
