import { afterEach, describe, expect, it } from 'vitest';
import { createGitRepo, type GitRepo } from '../helpers/git-repo.js';

describe('createGitRepo (shared test helper)', () => {
  let repo: GitRepo | undefined;
  afterEach(async () => repo?.cleanup());

  it('commits, branches, renames and merges in a real repository', async () => {
    repo = await createGitRepo({ files: { 'a/one.txt': 'one\n' } });
    const first = await repo.sha();
    await repo.branch('feature');
    await repo.rename('a/one.txt', 'a/two.txt');
    const renamed = await repo.commit('rename');
    await repo.checkout('main');
    await repo.commit('other', { 'b.txt': 'b\n' });
    const merged = await repo.merge('feature');

    expect(await repo.git('rev-list', '--count', 'HEAD')).toBe('4');
    expect(await repo.git('rev-parse', `${merged}^2`)).toBe(renamed);
    expect(await repo.git('diff', '--name-status', '-M', first, merged)).toBe('R100\ta/one.txt\ta/two.txt\nA\tb.txt');
    expect(await repo.git('ls-files')).toBe('a/two.txt\nb.txt');
  });
});
