import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitRepo } from '../../../../test/helpers/git-repo.js';
import type { GitRepo } from '../../../../test/helpers/git-repo.js';
import type { CheckName } from '../checks/check-result.js';
import type { Log } from '../log.js';
import { ParseCache } from '../mirror/parse-cache.js';
import { recordPush } from '../rbac/pull-pushes.js';
import { aCommit, aPull, FakeGitHubPort, gitHubError } from '../test-support/fake-github-port.js';
import { memoryFreeze } from '../test-support/memory-freeze.js';
import type { MemoryFreeze } from '../test-support/memory-freeze.js';
import type { FactSources } from './gate-ports.js';
import { gatherFacts } from './gather-facts.js';

const schema = (version: string) =>
  `name: users\nowner: user-service\nversion: ${version}\ncolumns:\n  - { name: id, type: UUID, primary_key: true }\n`;
const POLICY = 'roles:\n  developer: { permissions: [schema:write] }\nmembers:\n  alice: [developer]\n';

describe('gatherFacts', () => {
  let repo: GitRepo;
  let store: MemoryFreeze;
  let head: string;
  const seen = { syncs: 0, actors: [] as string[], errors: [] as string[] };
  const log: Log = {
    info: () => undefined,
    warn: () => undefined,
    error: (_o, msg) => void seen.errors.push(msg ?? ''),
  };

  beforeAll(async () => {
    repo = await createGitRepo({ files: { '.kiro/schemas/users.yaml': schema('1.0.0'), '.kiro/rbac.yaml': POLICY } });
    await repo.branch('pr-1');
    head = await repo.commit('bump', { '.kiro/schemas/users.yaml': schema('1.0.1') });
    await repo.checkout('main');
    store = await memoryFreeze();
  });
  afterAll(async () => {
    await store.close();
    await repo.cleanup();
  });

  const sources = (): FactSources => ({
    // The token is a function the mirror calls when the job runs (a cached token can expire in the queue, #15).
    mirror: { sync: async (_repo, token) => (seen.syncs++, typeof token === 'function' && (await token()), repo.dir) },
    cache: new ParseCache(),
    actors: { resolve: async (_gh, login) => (seen.actors.push(login), { login, teams: [] }) },
    freeze: store.freeze,
    config: {},
  });
  function target(headSha = head, files = [{ path: '.kiro/schemas/users.yaml' }]) {
    const gh = new FakeGitHubPort();
    gh.issues[7] = 'closed';
    gh.pullFiles[1] = files;
    gh.existingPaths.add(`.kiro@${headSha}`);
    gh.commits[1] = [aCommit(headSha)];
    const pull = aPull(1, { headSha, body: 'Fixes #7' });
    return { gh, repo: { fullName: gh.fullName, defaultBranch: 'main' }, pull, log };
  }
  const gather = async (
    names: CheckName[],
    t: ReturnType<typeof target> & { pusher?: string } = target(),
    known = {},
  ) => {
    Object.assign(seen, { syncs: 0, actors: [], errors: [] });
    return { facts: await gatherFacts(sources(), t, names, known), gh: t.gh };
  };

  it('reads no repository for aegis/audit alone: the link and what GitHub says of the issue', async () => {
    const { facts, gh } = await gather(['aegis/audit']);
    expect(facts).toMatchObject({ linked: { key: '#7', number: 7 }, issueStatus: 'closed' });
    expect(facts.change).toBeUndefined();
    expect(seen.syncs).toBe(0);
    expect(gh.calls.map((c) => c.method)).toEqual(['pullFilePages', 'issueStatus']);
  });

  it('reads the change and the lock store for aegis/freeze, and no policy, actor or issue', async () => {
    const { facts, gh } = await gather(['aegis/freeze']);
    expect(facts.change?.resources).toEqual(['schema:users']);
    expect(facts.verdict).toMatchObject({ kind: 'verdict', state: 'ACTIVE', locks: [] });
    expect([facts.policy, facts.issueStatus]).toEqual([undefined, undefined]);
    expect(seen).toMatchObject({ syncs: 1, actors: [] });
    expect(gh.calls.map((c) => c.method)).toEqual(['pullFilePages', 'installationToken']);
  });

  it('reads no repository for a change beside the registry: the need is a fact, the issue is read', async () => {
    const { facts, gh } = await gather(['aegis/freeze', 'aegis/audit'], target(head, [{ path: 'src/app.ts' }]));
    expect(facts).toMatchObject({ registryNeed: 'unchanged', issueStatus: 'closed' });
    expect([facts.change, facts.verdict]).toEqual([undefined, undefined]);
    expect(seen.syncs).toBe(0);
    expect(gh.calls.map((c) => c.method)).toEqual(['pullFilePages', 'pathExists', 'issueStatus']);
  });

  it('reads nothing more of a repository without a registry, not even the linked issue', async () => {
    const t = target(head, [{ path: 'src/app.ts' }]);
    t.gh.existingPaths.clear();
    const { facts, gh } = await gather(['aegis/validate', 'aegis/audit'], t);
    expect(facts).toMatchObject({ registryNeed: 'absent', issueStatus: undefined });
    expect(seen.syncs).toBe(0);
    expect(gh.calls.map((c) => c.method)).toEqual(['pullFilePages', 'pathExists']);
  });

  it('reads everything once for the four checks: one sync, the actor once, core checkChange of the change', async () => {
    const { facts } = await gather(['aegis/validate', 'aegis/rbac', 'aegis/audit', 'aegis/freeze']);
    expect(seen).toMatchObject({ syncs: 1, actors: ['alice'] });
    expect(facts.policy).toMatchObject({ policyEdited: false, policyProblems: 0 });
    expect(facts.contributors?.contributors.map((c) => [c.login, c.actor.login])).toEqual([['alice', 'alice']]);
    expect(facts.policy?.checked.headValid).toBe(true);
    expect(facts.verdict?.kind).toBe('verdict');
    expect(facts.migration).toBeUndefined(); // no verification database configured
  });

  it('uses what the caller already read: no sync for a known change', async () => {
    const { facts: first } = await gather(['aegis/freeze']);
    const { facts } = await gather(['aegis/freeze'], target(), { change: first.change });
    expect(seen.syncs).toBe(0);
    expect(facts.change).toBe(first.change);
  });

  it('makes an unreadable PR a fact (logged), asks the store nothing for it, and still reads the issue', async () => {
    const { facts } = await gather(['aegis/freeze', 'aegis/audit'], target('f'.repeat(40)));
    expect(facts.failure?.error).toBeInstanceOf(Error);
    expect(facts.verdict).toBeUndefined();
    expect(facts.issueStatus).toBe('closed');
    expect(seen.errors).toEqual(['could not read the pull request from the mirror']);
  });

  it('throws when GitHub fails to say what it knows of the issue (the delivery is then redelivered)', async () => {
    const t = target();
    t.gh.failures.issueStatus = gitHubError(502, 'Bad Gateway');
    await expect(gather(['aegis/audit'], t)).rejects.toThrow('Bad Gateway');
  });

  it('judges every contributor for aegis/rbac: recorded pushers, the delivery’s pusher, mapped commit authors', async () => {
    const t = target();
    await recordPush(store.freeze, t.repo.fullName, 1, { login: 'mallory', headSha: head });
    t.gh.commits[1] = [aCommit(head, { author: 'dave', committer: null, committerName: 'CI' })];
    const { facts, gh } = await gather(['aegis/rbac'], { ...t, pusher: 'eve' });
    expect(facts.contributors?.contributors.map((c) => [c.login, c.did])).toEqual([
      ['alice', ['opened the pull request']],
      ['mallory', [`pushed ${head.slice(0, 7)}`]],
      ['eve', [`pushed ${head.slice(0, 7)}`]],
      ['dave', [`authored ${head.slice(0, 7)}`]],
    ]);
    expect(facts.contributors?.unmapped).toEqual([
      `${head.slice(0, 7)}: no GitHub account has the email of its committer CI; judged as mallory, who pushed it`,
    ]);
    expect(seen.actors).toEqual(['alice', 'mallory', 'eve', 'dave']);
    expect(gh.callsOf('pullCommits')).toEqual([[1]]);
  });

  it('asks nobody about contributors for aegis/validate alone', async () => {
    const { facts, gh } = await gather(['aegis/validate']);
    expect(facts.contributors).toBeUndefined();
    expect(seen.actors).toEqual([]);
    expect(gh.callsOf('pullCommits')).toEqual([]);
  });

  it('makes a state store that cannot say who pushed before a fact: aegis/rbac fails closed on it', async () => {
    const down = {
      ...sources(),
      freeze: { ...store.freeze, members: () => Promise.reject(new Error('ECONNREFUSED')) },
    };
    const t = { ...target(), pusher: 'alice' };
    const facts = await gatherFacts(down as unknown as FactSources, t, ['aegis/rbac']);
    expect(facts.contributors?.incomplete).toContain('could not be read from the state store (ECONNREFUSED)');
    expect(facts.contributors?.contributors.map((c) => c.login)).toEqual(['alice']);
  });
});
