import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RepoMirror } from '@aegis/bot';
import { createGitRepo } from '../helpers/git-repo.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { FakeGitHub, testAppCredentials } from '../helpers/fake-github/fake-github.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('a fetch gets its installation token when it runs, not when it is queued (#15)', () => {
  let fake: FakeGitHub;
  let repo: GitRepo;
  let mirrors: { dir: string; cleanup: () => Promise<void> };
  /** Mints a token the fake's git server accepts until `fake.state.expireTokens()`, as GitHub's would. */
  const mint = (): string => {
    const token = `ghs_${randomBytes(8).toString('hex')}`;
    fake.state.tokens.add(token);
    fake.state.tokenExpiry.set(token, Date.now() + 3600_000);
    return token;
  };
  beforeAll(async () => {
    fake = await FakeGitHub.start(testAppCredentials());
    repo = await createGitRepo({ files: { '.kiro/schemas/users.yaml': 'v: 1\n' } });
    fake.addRepo('acme/queued', repo.dir);
    mirrors = await tempDir();
  });
  afterAll(async () => {
    await fake.close();
    await repo.cleanup();
    await mirrors.cleanup();
  });

  it('the second of one repository’s fetches waits, every token of the time expires, and it still fetches', async () => {
    const mirror = new RepoMirror({ dir: mirrors.dir, urlTemplate: fake.gitUrlTemplate });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const asked: string[] = [];
    const first = mirror.sync('acme/queued', async () => {
      asked.push('first');
      await held;
      return mint();
    });
    const head = await repo.commit('pushed while the first fetch runs', { '.kiro/schemas/users.yaml': 'v: 2\n' });
    const second = mirror.sync(
      'acme/queued',
      async () => {
        asked.push('second');
        return mint();
      },
      { want: [head], branches: ['main'] },
    );
    // The first fetch runs (it asked for its token); the second, queued behind it, has not asked yet.
    await vi.waitFor(() => expect(asked).toEqual(['first']));
    // Every token issued so far expires while the second waits.
    fake.state.expireTokens();
    release();
    await Promise.all([first, second]);
    expect(asked).toEqual(['first', 'second']);
    expect(fake.unexpected()).toEqual([]);
    expect(fake.calls.filter((c) => c.path.startsWith('/git/') && c.status === 401)).toEqual([]);
  });

  it('a token given as a string is used as it is: one that expired in the queue is refused (what #15 was)', async () => {
    const mirror = new RepoMirror({ dir: mirrors.dir, urlTemplate: fake.gitUrlTemplate });
    const stale = mint();
    fake.state.expireTokens();
    const head = await repo.commit('another push', { '.kiro/schemas/users.yaml': 'v: 3\n' });
    await expect(mirror.sync('acme/queued', stale, { want: [head], branches: ['main'] })).rejects.toThrow(
      /acme\/queued/,
    );
    expect(fake.unexpected().map((c) => c.problem)).toContain('git without an installation token');
  });
});
