import { describe, expect, it } from 'vitest';
import { RepoMirror } from '@aegis/bot';
import { git } from '../helpers/git-repo.js';
import { has, PULLS, useRepoWithPulls } from './repo-with-pulls.js';

describe('a mirror keeps no pull-request refs', () => {
  const t = useRepoWithPulls();

  const pullRefs = (dir: string) => git(dir, 'for-each-ref', '--format=%(refname)', 'refs/pull/');

  it('a fallback (a branch that is gone) stores no refs/pull/*, and still finds the commit it needed', async () => {
    const mirror = new RepoMirror({ dir: t.mirrors, urlTemplate: t.repo.dir });
    const dir = await mirror.sync('acme/registry', 'tok', { branches: ['gone'] });
    expect(mirror.counters.fallbacks).toBe(1);
    expect(await pullRefs(dir)).toBe('');
    // A PR head that only refs/pull/3/head reaches, with its base branch and one that is gone.
    await mirror.sync('acme/registry', 'tok', { want: [t.heads[2] as string], branches: ['main', 'gone'] });
    expect(mirror.counters.fallbacks).toBe(2);
    expect(await pullRefs(dir)).toBe('');
    expect(await has(dir, t.prBlob(3))).toBe(true);
    expect(await git(dir, 'show', 'refs/heads/main:.kiro/schemas/users.yaml')).toBe('v: 1');
    expect(await git(dir, 'for-each-ref', '--format=%(refname)')).toBe('refs/heads/main');
    // Refs a version before this one left behind go on the next sync.
    await git(dir, 'fetch', '-q', t.repo.dir, '+refs/pull/*/head:refs/pull/*/head');
    expect((await pullRefs(dir)).split('\n')).toHaveLength(PULLS);
    await mirror.sync('acme/registry', 'tok', { branches: ['main'] });
    expect(await pullRefs(dir)).toBe('');
    expect(await has(dir, t.prBlob(3))).toBe(true);
  });
});
