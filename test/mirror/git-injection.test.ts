import { access, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../bot/harness.js';
import { callApi, startApiHarness, TOKENS } from '../api/api-harness.js';
import { git } from '../helpers/git-repo.js';

/** The app's mirror of the test repository. */
const mirrorOf = (h: Harness): string => path.join(h.dataDir, 'mirrors', 'acme', 'registry.git');
const start = (h: Harness, body: Record<string, unknown>) =>
  callApi(h.bot.url, TOKENS.indexer, 'POST', 'shadow-index/start', { branch: 'main', index_type: 'search', ...body });

describe('git injection through shadow-index/start (mirror over smart HTTP)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApiHarness();
    // A branch anyone with push access could create, whose policy would grant everything.
    await h.repo.branch('evil');
    await h.repo.commit('grant all', { '.kiro/rbac.yaml': 'roles: {}\nmembers: {}\n' });
    await h.repo.checkout('main');
    // A first, honest request builds the mirror.
    expect((await start(h, { commit: await h.repo.sha('main') })).status).toBe(201);
  });
  afterAll(async () => {
    expect(h.fake.unexpected()).toEqual([]);
    await h.close();
  });

  it('refuses a refspec as the commit, and the mirror’s main (where the policy is read) stays the real main', async () => {
    for (const key of ['commit', 'head_sha', 'commit_sha']) {
      const answer = await start(h, { [key]: '+refs/heads/evil:refs/heads/main' });
      expect([key, answer.status]).toEqual([key, 400]);
    }
    expect(await git(mirrorOf(h), 'rev-parse', 'refs/heads/main')).toBe(await h.repo.sha('main'));
  });

  it('refuses an option as the commit, and the mirror does not become shallow', async () => {
    const answer = await start(h, { head_sha: '--depth=1' });
    expect(answer.status).toBe(400);
    expect(answer.body['message']).toContain('commit');
    expect(await git(mirrorOf(h), 'rev-parse', '--is-shallow-repository')).toBe('false');
  });

  it('refuses branch names git would read as an option or a refspec', async () => {
    for (const branch of ['--upload-pack=touch x', 'evil:main', 'a..b'])
      expect([branch, (await start(h, { branch })).status]).toEqual([branch, 400]);
  });

  it('still starts a build from a full commit id', async () => {
    const answer = await start(h, { commit_sha: await h.repo.sha('evil'), index_type: 'catalog' });
    expect(answer.status).toBe(201);
  });
});

describe('git injection with a local-path mirror URL', () => {
  let h: Harness;
  let links: string;
  const marker = (): string => path.join(links, 'pwned');
  beforeAll(async () => {
    links = await mkdtemp(path.join(tmpdir(), 'aegis-links-'));
    h = await startApiHarness({ AEGIS_GIT_URL: path.join(links, '{owner}', '{repo}') });
    await mkdir(path.join(links, 'acme'));
    await symlink(h.repo.dir, path.join(links, 'acme', 'registry'));
  });
  afterAll(async () => {
    await h.close();
    await rm(links, { recursive: true, force: true });
  });

  it('never runs a command named in --upload-pack', async () => {
    expect((await start(h, { commit: await h.repo.sha('main') })).status).toBe(201);
    const answer = await start(h, { commit: `--upload-pack=touch ${marker()};` });
    expect(answer.status).toBe(400);
    const ran = await access(marker()).then(
      () => true,
      () => false,
    );
    expect(ran).toBe(false);
  });
});
