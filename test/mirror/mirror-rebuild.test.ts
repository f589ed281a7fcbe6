import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RepoMirror } from '@aegis/bot';
import { createGitRepo, git } from '../helpers/git-repo.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A mirror of a local repository with two commits on main and a feature branch off the first. */
describe('a damaged mirror is detected and rebuilt; a shallow one is deepened', () => {
  let repo: GitRepo;
  let mirrors: { dir: string; cleanup: () => Promise<void> };
  let mirror: RepoMirror;
  beforeEach(async () => {
    repo = await createGitRepo({ files: { '.kiro/schemas/a.yaml': 'a: 1\n' } });
    await repo.branch('feature');
    await repo.commit('feature', { '.kiro/schemas/b.yaml': 'b: 1\n' });
    await repo.checkout('main');
    await repo.commit('second', { '.kiro/schemas/a.yaml': 'a: 2\n' });
    mirrors = await tempDir();
    mirror = new RepoMirror({ dir: mirrors.dir, urlTemplate: repo.dir });
  });
  afterEach(async () => {
    await repo.cleanup();
    await mirrors.cleanup();
  });

  const mergeBase = (dir: string) => git(dir, 'merge-base', 'refs/heads/main', 'refs/heads/feature');

  it('keeps a mirror a --depth=1 fetch cut short, and deepens it until the merge base is found again', async () => {
    const dir = await mirror.sync('acme/registry', 'tok');
    await git(dir, 'fetch', '-q', '--depth=1', repo.dir, '+refs/heads/*:refs/heads/*');
    expect(await git(dir, 'rev-parse', '--is-shallow-repository')).toBe('true');
    await mirror.sync('acme/registry', 'tok', { want: [await repo.sha('feature')], branches: ['main'] });
    expect(mirror.rebuilds).toBe(0);
    expect(await mergeBase(dir)).toBe(await repo.sha('main~1'));
  });

  it('rebuilds a mirror whose objects were lost, and reads work again', async () => {
    const dir = await mirror.sync('acme/registry', 'tok');
    await git(dir, 'repack', '-q', '-a', '-d');
    for (const name of await readdir(path.join(dir, 'objects', 'pack')))
      await rm(path.join(dir, 'objects', 'pack', name));
    await repo.commit('third', { '.kiro/schemas/a.yaml': 'a: 3\n' });
    await mirror.sync('acme/registry', 'tok');
    expect(mirror.rebuilds).toBe(1);
    expect(await git(dir, 'show', 'refs/heads/main:.kiro/schemas/a.yaml')).toBe('a: 3');
    expect(await mergeBase(dir)).toBe(await repo.sha('main~2'));
  });

  it('leaves a healthy mirror alone', async () => {
    await mirror.sync('acme/registry', 'tok');
    await mirror.sync('acme/registry', 'tok');
    expect(mirror.rebuilds).toBe(0);
  });
});
