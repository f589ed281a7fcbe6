import { execFile } from 'node:child_process';
import { access, utimes } from 'node:fs/promises';
import { promisify } from 'node:util';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RepoMirror } from '@aegis/bot';
import { tempDir } from '../helpers/temp-dir.js';
import { useServedRepos } from './served-like-github.js';

const run = promisify(execFile);
const NAMES = ['a', 'b', 'c', 'd', 'e', 'f'];
const exists = (p: string): Promise<boolean> =>
  access(p).then(
    () => true,
    () => false,
  );

describe('mirror disk budget and concurrency', () => {
  const served = useServedRepos(NAMES, (name) => ({ [`.kiro/schemas/${name}.yaml`]: `name: ${name}\n` }));
  const repos = served.repos;
  let mirrors: { dir: string; cleanup: () => Promise<void> };

  /** A mirror of `acme/<name>` repositories over fresh mirror storage unless `reuse`. */
  const mirrorOf = async (options: { concurrency?: number; diskBudgetBytes?: number } = {}, reuse = false) => {
    if (!reuse) mirrors = await tempDir();
    return new RepoMirror({ dir: mirrors.dir, urlTemplate: served.urlTemplate(), ...options });
  };

  it('runs fetches of different repositories at most `concurrency` at once', async () => {
    const mirror = await mirrorOf({ concurrency: 2 });
    await Promise.all(NAMES.map((n) => mirror.sync(`acme/${n}`, 'tok', { branches: ['main'] })));
    expect(mirror.peakConcurrency).toBe(2);
    expect(mirror.fetches).toBe(NAMES.length);
    await mirrors.cleanup();
  });

  it('joins the syncs of one repository asked for at once into one fetch', async () => {
    const mirror = await mirrorOf();
    const repo = repos[0]!;
    const heads: string[] = [];
    for (let i = 0; i < 5; i++) {
      await repo.checkout('main');
      await repo.branch(`joined-${i}`);
      heads.push(await repo.commit(`head ${i}`, { [`.kiro/schemas/j${i}.yaml`]: `name: j${i}\n` }));
    }
    await repo.checkout('main');
    const dirs = await Promise.all(heads.map((h) => mirror.sync('acme/a', 'tok', { want: [h], branches: ['main'] })));
    expect(mirror.fetches).toBe(1);
    for (const head of heads)
      await run('git', ['cat-file', '-e', `${head}:.kiro/schemas/j${heads.indexOf(head)}.yaml`], { cwd: dirs[0]! });
    await mirrors.cleanup();
  });

  it('a joined sync whose fetch fails is tried alone: one bad token never fails the others', async () => {
    const mirror = await mirrorOf();
    const tokens = [async () => 'tok', async () => 'tok', () => Promise.reject(new Error('no token'))];
    const syncs = tokens.map((token) =>
      mirror.sync('acme/b', token, { branches: ['main'] }).then(
        () => 'ok',
        () => 'failed',
      ),
    );
    expect(await Promise.all(syncs)).toEqual(['ok', 'ok', 'failed']);
    await mirrors.cleanup();
  });

  it('evicts the least recently used mirrors beyond the disk budget; a restart reuses what is on disk', async () => {
    const first = await mirrorOf();
    const dirs = NAMES.map((n) => first.gitDir(`acme/${n}`));
    for (const [i, n] of NAMES.entries()) {
      await first.sync(`acme/${n}`, 'tok', { branches: ['main'] });
      // Last used i hours ago, oldest first: a, b, c …
      const when = new Date(Date.now() - (NAMES.length - i) * 3_600_000);
      await utimes(path.join(dirs[i]!, 'aegis-last-used'), when, when);
    }
    // What deleting one mirror frees: du counts a file once, so the config and HEAD every mirror links to are
    // counted on the root's copies named first, not in the mirror (the last line).
    const shared = ['config', 'HEAD'].map((f) => path.join(mirrors.dir, `.aegis-mirror-${f}`));
    const du = (await run('du', ['-s', '-B1', ...shared, dirs[0]!])).stdout.trim().split('\n');
    const each = Number(du.at(-1)!.split('\t')[0]);
    // Restarted with room for about three mirrors: the next sync evicts the three used longest ago.
    const restarted = await mirrorOf({ diskBudgetBytes: Math.round(each * 3.5) }, true);
    await restarted.sync('acme/f', 'tok', { branches: ['main'] });
    expect(restarted.counters).toMatchObject({ blobFetches: 0, rebuilds: 0 });
    expect(restarted.evictions).toBe(3);
    expect(await Promise.all(dirs.map(exists))).toEqual([false, false, false, true, true, true]);
    await mirrors.cleanup();
  });
});
