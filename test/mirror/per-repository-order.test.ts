import path from 'node:path';
import { mkdir, symlink } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RepoMirror } from '@aegis/bot';
import { createGitRepo } from '../helpers/git-repo.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { tempDir } from '../helpers/temp-dir.js';
import { servedLikeGitHub } from './served-like-github.js';

/** A promise and its resolver. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Issue #19: fetches of one repository are serialised, while other repositories' run beside them (within the
 * bound). A fetch asks for its token when it starts (`TokenSource` as a function), so the order in which the
 * tokens are asked for is the order in which fetches start: a fetch held open in its token request stands for
 * a long fetch.
 */
describe('one repository’s fetches run one at a time, other repositories’ beside them', () => {
  const repos: GitRepo[] = [];
  let links: { dir: string; cleanup: () => Promise<void> };
  let mirrors: { dir: string; cleanup: () => Promise<void> };
  const heads: string[] = [];
  beforeAll(async () => {
    links = await tempDir();
    mirrors = await tempDir();
    await mkdir(path.join(links.dir, 'acme'));
    for (const name of ['one', 'other']) {
      const repo = await createGitRepo({ files: { [`.kiro/schemas/${name}.yaml`]: `name: ${name}\n` } });
      await servedLikeGitHub(repo.dir);
      await symlink(repo.dir, path.join(links.dir, 'acme', name));
      repos.push(repo);
    }
    await repos[0]!.branch('pushed');
    heads.push(await repos[0]!.commit('a later push', { '.kiro/schemas/one.yaml': 'name: one\nv: 2\n' }));
  });
  afterAll(async () => {
    for (const repo of repos) await repo.cleanup();
    await links.cleanup();
    await mirrors.cleanup();
  });

  it('a second fetch of a repository starts only when the first is done; another repository’s does not wait', async () => {
    const mirror = new RepoMirror({
      dir: mirrors.dir,
      urlTemplate: path.join(links.dir, '{owner}', '{repo}'),
      concurrency: 4,
    });
    const started: string[] = [];
    const firstStarted = signal();
    const firstHeld = signal();
    const otherStarted = signal();
    const first = mirror.sync(
      'acme/one',
      async () => {
        started.push('one: first');
        firstStarted.resolve();
        await firstHeld.promise;
        return 'tok';
      },
      { branches: ['main'] },
    );
    await firstStarted.promise;
    // Queued while the first runs: a fetch of its own (the first's batch closed when it started).
    const second = mirror.sync(
      'acme/one',
      () => {
        started.push('one: second');
        return Promise.resolve('tok');
      },
      { want: [heads[0]!], branches: ['main'] },
    );
    const other = mirror.sync(
      'acme/other',
      () => {
        started.push('other');
        otherStarted.resolve();
        return Promise.resolve('tok');
      },
      { branches: ['main'] },
    );
    // Another repository's fetch starts and ends while the first of `one` is still held…
    await otherStarted.promise;
    await other;
    // …and the second of `one`, asked for before it, has not started.
    expect(started).toEqual(['one: first', 'other']);
    firstHeld.resolve();
    const [dir] = await Promise.all([first, second]);
    expect(started).toEqual(['one: first', 'other', 'one: second']);
    expect(mirror.fetches).toBe(3);
    await expect(repos[0]!.git('--git-dir', dir, 'cat-file', '-e', `${heads[0]!}^{commit}`)).resolves.toBe('');
  });
});
