import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitRepo } from '../helpers/git-repo.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { pullRequestPayload } from '../helpers/fake-github/webhooks.js';
import type { TestPull, TestRepoRef } from '../helpers/fake-github/webhooks.js';
import { Harness, REPO } from '../bot/harness.js';

/** Requests of the fake made during `work`: git transport, and REST calls by route. */
async function countedDuring(h: Harness, work: () => Promise<void>): Promise<{ git: number; api: string[] }> {
  const before = h.fake.calls.length;
  await work();
  const calls = h.fake.calls.slice(before);
  return {
    git: calls.filter((c) => c.path.startsWith('/git/')).length,
    api: calls
      .filter((c) => !c.path.startsWith('/git/'))
      .map((c) => `${c.method} ${c.path.replace(/^\/repos\/[^/]+\/[^/]+/, '').replace(/\/\d+/g, '/:n')}`)
      .filter((c) => !c.startsWith('POST /app/'))
      .sort(),
  };
}

describe('repositories without a registry, and changes beside one, cost no fetch (#19)', () => {
  let h: Harness;
  let app: GitRepo;
  const APP: TestRepoRef = { ...REPO, fullName: 'acme/app' };
  beforeAll(async () => {
    h = await Harness.start();
    app = await createGitRepo({ files: { 'README.md': 'an application without a registry\n' } });
    h.fake.addRepo(APP.fullName, app.dir);
  });
  afterAll(async () => {
    expect(h.fake.unexpected()).toEqual([]);
    await h.close();
    await app.cleanup();
  });

  it('a change beside the registry: four checks, three passing without a fetch, audit as always', async () => {
    const counted = await countedDuring(h, async () => {
      await h.openPull(1, { author: 'alice', body: 'Fixes #1', files: { 'src/app.ts': 'export {};\n' } });
    });
    const head = h.fake.state.pull(REPO.fullName, 1)!.headSha;
    for (const name of ['aegis/validate', 'aegis/rbac', 'aegis/freeze']) {
      const run = h.fake.state.latestCheck(name, head);
      expect([name, run?.conclusion, run?.title]).toEqual([name, 'success', 'No registry change']);
    }
    expect(h.fake.state.latestCheck('aegis/audit', head)?.conclusion).toBe('success');
    expect(counted.git).toBe(0);
    expect(counted.api).toEqual([
      'GET /contents/.kiro',
      'GET /issues/:n',
      'GET /pulls/:n/files',
      'POST /check-runs',
      'POST /check-runs',
      'POST /check-runs',
      'POST /check-runs',
    ]);
  });

  it('a repository without a registry: nothing fetched, nothing published, two API reads', async () => {
    await app.branch('feature');
    const headSha = await app.commit('feature', { 'src/main.ts': 'export {};\n' });
    const pull: TestPull = { number: 7, headSha, headRef: 'feature', baseRef: 'main', body: null, author: 'alice' };
    h.fake.state.setPull(APP.fullName, pull);
    const counted = await countedDuring(h, () => h.send('pull_request', pullRequestPayload('opened', pull, APP)));
    expect(counted.git).toBe(0);
    expect(counted.api).toEqual(['GET /contents/.kiro', 'GET /pulls/:n/files']);
    expect(h.checksFor(headSha)).toBe(0);
  });

  it('the first registry added to such a repository is judged as usual (fetched)', async () => {
    await app.checkout('main');
    await app.branch('add-registry');
    const files = { '.kiro/schemas/users.yaml': (await h.repo.git('show', 'main:.kiro/schemas/users.yaml')) + '\n' };
    const headSha = await app.commit('a registry', files);
    const pull: TestPull = {
      number: 8,
      headSha,
      headRef: 'add-registry',
      baseRef: 'main',
      body: 'Fixes #8',
      author: 'alice',
    };
    h.fake.state.setPull(APP.fullName, pull);
    const counted = await countedDuring(h, async () => {
      await h.send('pull_request', pullRequestPayload('opened', pull, APP));
      await h.fake.waitFor(() => h.checksFor(headSha) >= 4, 60_000, 'four checks on the first registry');
    });
    expect(counted.git).toBeGreaterThan(0);
    expect(counted.api).toContain('GET /pulls/:n/files');
    expect(counted.api).not.toContain('GET /contents/.kiro');
    expect(h.fake.state.latestCheck('aegis/validate', headSha)?.title).not.toBe('No registry change');
  });
});
