import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RepoMirror } from '@aegis/bot';
import { createGitRepo, git } from '../helpers/git-repo.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { tempDir } from '../helpers/temp-dir.js';
import { servedLikeGitHub } from './served-like-github.js';

const BIG = 4 * 1024 * 1024;
const PULLS = 30;

/** What a mirror has, read with git alone (no remote configured: nothing can be fetched lazily). */
const has = (dir: string, rev: string): Promise<boolean> =>
  git(dir, 'cat-file', '-e', rev).then(
    () => true,
    () => false,
  );

describe('the mirror fetches only what a decision reads', () => {
  let repo: GitRepo;
  let mirrors: { dir: string; cleanup: () => Promise<void> };
  let head: string;
  let mergeBase: string;
  beforeAll(async () => {
    // A registry beside large unrelated files, many pull-request refs and an unrelated branch.
    repo = await createGitRepo({
      files: {
        '.kiro/schemas/users.yaml': 'v: 1\n',
        '.kiro/rbac.yaml': 'roles: {}\n',
        'assets/big.bin': randomBytes(BIG),
      },
    });
    await servedLikeGitHub(repo.dir);
    mergeBase = await repo.commit('registry change', { '.kiro/schemas/orders.yaml': 'v: 1\n' });
    await repo.branch('feature');
    head = await repo.commit('pr change', {
      '.kiro/schemas/users.yaml': 'v: 2\n',
      'assets/more.bin': randomBytes(BIG),
    });
    await repo.checkout('main');
    await repo.commit('main moves on', { '.kiro/schemas/orders.yaml': 'v: 2\n', 'assets/big.bin': randomBytes(BIG) });
    await repo.branch('unrelated');
    await repo.commit('elsewhere', { 'assets/other.bin': randomBytes(BIG) });
    await repo.checkout('main');
    for (let n = 1; n <= PULLS; n++) {
      const sha = await git(repo.dir, 'commit-tree', '-p', 'main', '-m', `pr ${n}`, 'main^{tree}');
      await git(repo.dir, 'update-ref', `refs/pull/${n}/head`, sha);
    }
    mirrors = await tempDir();
  });
  afterAll(async () => {
    await repo.cleanup();
    await mirrors.cleanup();
  });

  it('fetches the PR head and its branches blob-less, then the registry blobs in one more round trip', async () => {
    const mirror = new RepoMirror({ dir: mirrors.dir, urlTemplate: repo.dir });
    const dir = await mirror.sync('acme/big', 'tok', { want: [head], branches: ['main'] });
    expect(mirror.counters).toMatchObject({ fetches: 1, blobFetches: 1, fallbacks: 0 });
    // The registry at the head, the base branch and the merge base is readable…
    expect(await git(dir, 'show', `${head}:.kiro/schemas/users.yaml`)).toBe('v: 2');
    expect(await git(dir, 'show', 'refs/heads/main:.kiro/schemas/orders.yaml')).toBe('v: 2');
    expect(await git(dir, 'show', `${mergeBase}:.kiro/schemas/orders.yaml`)).toBe('v: 1');
    expect(await git(dir, 'show', 'refs/heads/main:.kiro/rbac.yaml')).toBe('roles: {}');
    // …and nothing else came: no unrelated blob, branch or pull-request ref.
    expect(await has(dir, `${head}:assets/more.bin`)).toBe(false);
    expect(await has(dir, 'refs/heads/main:assets/big.bin')).toBe(false);
    expect(await git(dir, 'for-each-ref', '--format=%(refname)')).toBe('refs/heads/main');
    expect(Number(await git(dir, 'count-objects', '-v').then((o) => /size-pack: (\d+)/.exec(o)?.[1]))).toBeLessThan(64);
  });

  it('a second event for the same PR fetches no blobs again', async () => {
    const mirror = new RepoMirror({ dir: mirrors.dir, urlTemplate: repo.dir });
    await mirror.sync('acme/big', 'tok', { want: [head], branches: ['main'] });
    expect(mirror.counters).toMatchObject({ fetches: 1, blobFetches: 0, rebuilds: 0 });
  });

  it('turns a mirror from before (every blob, every PR ref) into a blob-less one without the PR refs', async () => {
    const old = await tempDir();
    const dir = `${old.dir}/acme/big.git`;
    await git(old.dir, 'init', '-q', '--bare', dir);
    await git(dir, 'fetch', '-q', repo.dir, '+refs/heads/*:refs/heads/*', '+refs/pull/*/head:refs/pull/*/head');
    const mirror = new RepoMirror({ dir: old.dir, urlTemplate: repo.dir });
    await mirror.sync('acme/big', 'tok', { want: [head], branches: ['main'] });
    expect(await git(dir, 'for-each-ref', '--format=%(refname)', 'refs/pull/')).toBe('');
    expect(await git(dir, 'config', 'extensions.partialClone')).toBe('origin');
    expect(mirror.rebuilds).toBe(0);
    await old.cleanup();
  });
});
