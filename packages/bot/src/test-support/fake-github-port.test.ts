import { describe, expect, it } from 'vitest';
import { aCommit, aPull, FakeGitHubPort, gitHubError } from './fake-github-port.js';
import { memoryFreeze } from './memory-freeze.js';

describe('FakeGitHubPort: GitHub as fields, calls recorded', () => {
  it('answers from its fields the way GitHub does for what it does not know', async () => {
    const gh = new FakeGitHubPort({ pulls: [aPull(12, { author: 'bob', body: 'Fixes #3' })] });
    gh.permissions['alice'] = 'write';
    gh.teams['acme/devs'] = ['alice'];
    gh.issues[3] = 'open';
    expect(gh.fullName).toBe('acme/registry');
    expect(await gh.getPull(12)).toMatchObject({ number: 12, author: 'bob', body: 'Fixes #3', baseRef: 'main' });
    await expect(gh.getPull(13)).rejects.toMatchObject({ status: 404 });
    expect(await gh.permission('alice')).toBe('write');
    expect(await gh.permission('mallory')).toBe('none');
    expect(await gh.isTeamMember('acme', 'devs', 'alice')).toBe(true);
    expect(await gh.isTeamMember('acme', 'devs', 'bob')).toBe(false);
    expect(await gh.issueStatus(3)).toBe('open');
    expect(await gh.issueStatus(4)).toBe('missing');
    expect(gh.callsOf('permission')).toEqual([['alice'], ['mallory']]);
  });

  it("lists a pull request's commits as GitHub does: the first 250, unmapped people as null", async () => {
    const gh = new FakeGitHubPort();
    gh.commits[7] = Array.from({ length: 260 }, (_, i) => aCommit(`c${i}`, { author: i === 0 ? null : 'alice' }));
    const listed = await gh.pullCommits(7);
    expect(listed).toHaveLength(250);
    expect(listed[0]).toMatchObject({ author: null, committer: null, authorName: 'Someone' });
    expect(await gh.pullCommits(8)).toEqual([]);
    expect(gh.callsOf('pullCommits')).toEqual([[7], [8]]);
  });

  it('keeps what the code did: comments (edited in place), reactions, check runs, merges', async () => {
    const gh = new FakeGitHubPort({ pulls: [aPull(7)] });
    const id = await gh.createComment(7, 'first');
    await gh.updateComment(id, 'second');
    await gh.react(id, 'eyes');
    const run = await gh.checks.create({ name: 'aegis/freeze', head_sha: 'abc' });
    await gh.checks.update({ check_run_id: run.data.id, conclusion: 'success' });
    expect(gh.comments).toEqual([{ id, issue: 7, body: 'second', author: 'aegis[bot]', updates: 1 }]);
    expect(await gh.listComments(7)).toEqual([{ id, body: 'second', author: 'aegis[bot]' }]);
    expect(gh.reactions).toEqual([{ commentId: id, content: 'eyes' }]);
    expect(gh.checkRuns[0]?.updates).toEqual([{ check_run_id: run.data.id, conclusion: 'success' }]);
    await expect(gh.updateComment(1, 'x')).rejects.toMatchObject({ status: 404 });
  });

  it('merges only at the head it was given, and closes the pull it merged', async () => {
    const gh = new FakeGitHubPort({ pulls: [aPull(7)] });
    expect((await gh.merge(7, 'f'.repeat(40), 'm')).merged).toBe(false);
    expect(gh.merges).toEqual([]);
    const head = (await gh.mergeState(7)).headSha;
    expect((await gh.merge(7, head, 'm')).merged).toBe(true);
    expect(await gh.mergeState(7)).toMatchObject({ state: 'closed', merged: true });
    expect(await gh.openPulls()).toEqual([]);
  });

  it('throws the failure a test sets for a method, after recording the call', async () => {
    const gh = new FakeGitHubPort();
    gh.failures.listOpenPulls = gitHubError(502, 'bad gateway');
    await expect(gh.listOpenPulls('main')).rejects.toMatchObject({ status: 502 });
    expect(gh.callsOf('listOpenPulls')).toEqual([['main']]);
  });
});

describe('memoryFreeze: the real freeze facade in memory', () => {
  it('takes, reports and releases a lock, and audits both', async () => {
    const { freeze, close } = await memoryFreeze();
    try {
      const ref = { repo: 'acme/registry', branch: 'main' };
      const ctx = { actor: 'alice' };
      const out = await freeze.acquireLock(
        {
          ...ref,
          scope: 'RESOURCE',
          resourceType: 'schema',
          resourceId: 'users',
          holder: 'alice',
          reason: 'r',
          ttlMs: 60_000,
        },
        ctx,
      );
      expect((await freeze.getBranchState(ref)).locks.map((l) => l.id)).toEqual([out.lock.id]);
      await freeze.releaseLock(out.lock, ctx);
      expect((await freeze.getBranchState(ref)).locks).toEqual([]);
      const actions = (await freeze.queryAudit({ repo: ref.repo })).records.map((r) => r.action);
      expect(actions).toEqual(expect.arrayContaining(['lock.acquired', 'lock.released']));
    } finally {
      await close();
    }
  });
});
