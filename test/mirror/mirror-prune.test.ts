import { describe, expect, it } from 'vitest';
import { RepoMirror } from '@aegis/bot';
import { PRUNE_FLOOR_BYTES, PRUNE_GROWTH, packBytes } from '../../packages/bot/src/mirror/prune-unreachable.js';
import { git } from '../helpers/git-repo.js';
import { has, PULLS, useRepoWithPulls } from './repo-with-pulls.js';

describe('a mirror drops what no branch reaches (closed pull requests)', () => {
  const t = useRepoWithPulls();

  it('prunes past the growth threshold: no closed PR blob remains, syncs still answer, a restart too', async () => {
    const mirror = new RepoMirror({ dir: t.mirrors, urlTemplate: t.repo.dir, keepSyncedMs: 0 });
    const dir = mirror.gitDir('acme/registry');
    let after = 0;
    let grown = 0;
    for (let n = 1; n <= PULLS; n++) {
      const before = mirror.counters.prunes;
      await mirror.sync('acme/registry', 'tok', { want: [t.heads[n - 1] as string], branches: ['main'] });
      expect(await has(dir, t.prBlob(n))).toBe(true);
      if (n === 1) expect(mirror.counters.prunes).toBe(1); // the first sync since the start
      if (n === 1 || mirror.counters.prunes === before) continue;
      grown += 1;
      // Pruned in this sync: every PR synced before is gone, this one and main are readable.
      for (let m = 1; m < n; m++) expect(await has(dir, t.prBlob(m))).toBe(false);
      for (let m = 1; m < n; m++) expect(await has(dir, t.heads[m - 1] as string)).toBe(false);
      after = await packBytes(dir);
    }
    expect(grown).toBeGreaterThanOrEqual(1);
    expect(mirror.counters.prunes).toBe(1 + grown);
    expect(await packBytes(dir)).toBeLessThanOrEqual(PRUNE_GROWTH * Math.max(after, PRUNE_FLOOR_BYTES));
    expect(await git(dir, 'show', 'refs/heads/main:.kiro/schemas/users.yaml')).toBe('v: 1');
    await git(dir, 'fsck', '--connectivity-only', '--no-dangling', '--no-progress');

    // A restart: the first sync of the mirror prunes what no branch reaches, and a closed PR's head comes back
    // when an event names it again.
    const restarted = new RepoMirror({ dir: t.mirrors, urlTemplate: t.repo.dir, keepSyncedMs: 0 });
    await t.repo.commit('main moves on', { '.kiro/schemas/users.yaml': 'v: 2\n' });
    await restarted.sync('acme/registry', 'tok', { branches: ['main'] });
    expect(restarted.counters).toMatchObject({ prunes: 1, rebuilds: 0 });
    for (let m = 1; m <= PULLS; m++) expect(await has(dir, t.prBlob(m))).toBe(false);
    expect(await git(dir, 'show', 'refs/heads/main:.kiro/schemas/users.yaml')).toBe('v: 2');
    await restarted.sync('acme/registry', 'tok', { want: [t.heads[4] as string], branches: ['main'] });
    expect(await has(dir, t.prBlob(5))).toBe(true);
    expect(await git(dir, 'merge-base', t.heads[4] as string, 'refs/heads/main')).toBe(await t.repo.sha('main~1'));
  });

  it('a prune keeps the commits synced in the last minute (a check may still be reading them)', async () => {
    const mirror = new RepoMirror({ dir: t.mirrors, urlTemplate: t.repo.dir });
    const dir = mirror.gitDir('acme/registry');
    for (let n = 1; n <= PULLS; n++)
      await mirror.sync('acme/registry', 'tok', { want: [t.heads[n - 1] as string], branches: ['main'] });
    expect(mirror.counters.prunes).toBeGreaterThanOrEqual(2);
    for (let n = 1; n <= PULLS; n++) expect(await has(dir, t.prBlob(n))).toBe(true);
  });
});
