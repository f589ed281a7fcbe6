import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RepoMirror } from '@aegis/bot';
import { createGitRepo, git } from '../helpers/git-repo.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { tempDir } from '../helpers/temp-dir.js';
import { servedLikeGitHub } from './served-like-github.js';

/** What a mirror has, read with git alone (no remote configured: nothing can be fetched lazily). */
const has = (dir: string, rev: string): Promise<boolean> =>
  git(dir, 'cat-file', '-e', rev).then(
    () => true,
    () => false,
  );

const PULLS = 12;
/** Each PR adds a registry file of its own, incompressible, so its blob grows the mirror's packs. */
const PR_FILE_BYTES = 8 * 1024;
const prFile = (n: number) => `.kiro/schemas/pr-${n}.yaml`;

describe('a mirror keeps no pull-request refs', () => {
  let repo: GitRepo;
  let mirrors: { dir: string; cleanup: () => Promise<void> };
  const heads: string[] = [];
  beforeEach(async () => {
    repo = await createGitRepo({ files: { '.kiro/schemas/users.yaml': 'v: 1\n' } });
    await servedLikeGitHub(repo.dir);
    heads.length = 0;
    // Pull requests as GitHub keeps them: refs/pull/<n>/head only, no branch in the repository.
    for (let n = 1; n <= PULLS; n++) {
      await repo.branch(`pr-${n}`, 'main');
      heads.push(await repo.commit(`pr ${n}`, { [prFile(n)]: randomBytes(PR_FILE_BYTES) }));
      await repo.checkout('main');
      await git(repo.dir, 'update-ref', `refs/pull/${n}/head`, heads[n - 1] as string);
      await git(repo.dir, 'branch', '-D', `pr-${n}`);
    }
    mirrors = await tempDir();
  });
  afterEach(async () => {
    await repo.cleanup();
    await mirrors.cleanup();
  });

  const pullRefs = (dir: string) => git(dir, 'for-each-ref', '--format=%(refname)', 'refs/pull/');
  const prBlob = (n: number) => `${heads[n - 1]}:${prFile(n)}`;

  it('a fallback (a branch that is gone) stores no refs/pull/*, and still finds the commit it needed', async () => {
    const mirror = new RepoMirror({ dir: mirrors.dir, urlTemplate: repo.dir });
    const dir = await mirror.sync('acme/registry', 'tok', { branches: ['gone'] });
    expect(mirror.counters.fallbacks).toBe(1);
    expect(await pullRefs(dir)).toBe('');
    // A PR head that only refs/pull/3/head reaches, with its base branch and one that is gone.
    await mirror.sync('acme/registry', 'tok', { want: [heads[2] as string], branches: ['main', 'gone'] });
    expect(mirror.counters.fallbacks).toBe(2);
    expect(await pullRefs(dir)).toBe('');
    expect(await has(dir, prBlob(3))).toBe(true);
    expect(await git(dir, 'show', 'refs/heads/main:.kiro/schemas/users.yaml')).toBe('v: 1');
    expect(await git(dir, 'for-each-ref', '--format=%(refname)')).toBe('refs/heads/main');
    // Refs a version before this one left behind go on the next sync.
    await git(dir, 'fetch', '-q', repo.dir, '+refs/pull/*/head:refs/pull/*/head');
    expect((await pullRefs(dir)).split('\n')).toHaveLength(PULLS);
    await mirror.sync('acme/registry', 'tok', { branches: ['main'] });
    expect(await pullRefs(dir)).toBe('');
    expect(await has(dir, prBlob(3))).toBe(true);
  });
});
