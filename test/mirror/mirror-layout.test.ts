import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, lstat, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RepoMirror } from '@aegis/bot';
import { git } from '../helpers/git-repo.js';
import { tempDir } from '../helpers/temp-dir.js';
import { useServedRepos } from './served-like-github.js';

const SHARED = ['config', 'HEAD'] as const;
const NAMES = ['a', 'b'];

/** How the previous version made a mirror: `git init` and its own config, written by `git config`. */
const PREVIOUS_CONFIG: [string, string][] = [
  ['core.repositoryformatversion', '1'],
  ['extensions.partialClone', 'origin'],
  ['remote.origin.promisor', 'true'],
  ['remote.origin.partialclonefilter', 'blob:none'],
  ['fetch.unpackLimit', '1'],
  ['gc.autoDetach', 'false'],
];

describe('the mirror on disk: config and HEAD shared by every mirror', () => {
  const served = useServedRepos(NAMES, (name) => ({
    [`.kiro/schemas/${name}.yaml`]: `name: ${name}\n`,
    'README.md': `not the registry ${name}\n`,
  }));
  const repos = served.repos;

  const mirrorAt = (dir: string) => new RepoMirror({ dir, urlTemplate: served.urlTemplate() });

  /** For each shared file: whether the mirror's is the root's copy (one file on disk). */
  const sharing = async (root: string, gitDir: string): Promise<boolean[]> =>
    Promise.all(
      SHARED.map(async (name) => {
        const [own, copy] = await Promise.all([
          lstat(path.join(gitDir, name)),
          lstat(path.join(root, `.aegis-mirror-${name}`)),
        ]);
        return own.isFile() && own.ino === copy.ino && own.dev === copy.dev;
      }),
    );

  /** A registry file read with git alone in the mirror (no remote: nothing can be fetched lazily). */
  const registryFile = (gitDir: string, name: string) =>
    git(gitDir, 'show', `refs/heads/main:.kiro/schemas/${name}.yaml`);

  it('a fresh mirror links its config and HEAD to one copy and serves syncs, deepening and gc end to end', async () => {
    const store = await tempDir();
    const mirror = mirrorAt(store.dir);
    const dirs = await Promise.all(NAMES.map((n) => mirror.sync(`acme/${n}`, 'tok', { branches: ['main'] })));
    for (const dir of dirs) expect(await sharing(store.dir, dir)).toEqual([true, true]);
    expect((await readdir(dirs[0]!)).sort()).toEqual([
      'HEAD',
      'aegis-last-used',
      'config',
      'objects',
      'packed-refs',
      'refs',
    ]);
    // A blob-less partial clone: the registry's blobs are there, the README's are not.
    expect(await registryFile(dirs[0]!, 'a')).toBe('name: a');
    expect(await git(dirs[0]!, 'config', '--get', 'extensions.partialClone')).toBe('origin');
    const missing = await git(dirs[0]!, 'rev-list', '--objects', '--missing=print', 'refs/heads/main');
    const readme = await git(repos[0]!.dir, 'rev-parse', 'main:README.md');
    expect(missing.split('\n').filter((l) => l.startsWith('?'))).toEqual([`?${readme}`]);

    // A PR branch forked two commits back: fetched by id, deepened to its merge base, its registry blobs fetched.
    const repo = repos[0]!;
    await repo.branch('feature');
    const head = await repo.commit('feature', { '.kiro/schemas/f.yaml': 'name: f\n' });
    await repo.checkout('main');
    for (const i of [2, 3]) await repo.commit(`main ${i}`, { '.kiro/schemas/a.yaml': `name: a${i}\n` });
    await mirror.sync('acme/a', 'tok', { want: [head], branches: ['main'] });
    expect(await git(dirs[0]!, 'show', `${head}:.kiro/schemas/f.yaml`)).toBe('name: f');
    expect(await registryFile(dirs[0]!, 'a')).toBe('name: a3');
    await git(dirs[0]!, 'gc', '-q');
    await repo.commit('main 4', { '.kiro/schemas/a.yaml': 'name: a4\n' });
    await mirror.sync('acme/a', 'tok', { branches: ['main'] });
    expect(await registryFile(dirs[0]!, 'a')).toBe('name: a4');
    expect(mirror.counters).toMatchObject({ rebuilds: 0, fallbacks: 0 });
    // No git command of a sync, nor gc, wrote either file: still one copy.
    for (const dir of dirs) expect(await sharing(store.dir, dir)).toEqual([true, true]);
    await store.cleanup();
  });

  it('`git config` in one mirror gives it a config of its own and changes no other mirror', async () => {
    const store = await tempDir();
    const mirror = mirrorAt(store.dir);
    const [a, b] = await Promise.all(NAMES.map((n) => mirror.sync(`acme/${n}`, 'tok', { branches: ['main'] })));
    await git(a!, 'config', 'gc.auto', '0');
    expect(await sharing(store.dir, a!)).toEqual([false, true]);
    await expect(git(b!, 'config', '--get', 'gc.auto')).rejects.toThrow();
    expect(await readFile(path.join(store.dir, '.aegis-mirror-config'), 'utf8')).not.toContain('\tauto = 0');
    // Left as it is (it is not the shared text any more), and both still sync.
    for (const n of NAMES) await mirror.sync(`acme/${n}`, 'tok', { branches: ['main'] });
    expect(await git(a!, 'config', '--get', 'gc.auto')).toBe('0');
    expect(await sharing(store.dir, a!)).toEqual([false, true]);
    expect(await registryFile(b!, 'b')).toBe('name: b');
    await store.cleanup();
  });

  it('a mirror of the layout before (its own config and HEAD) syncs and is migrated in place', async () => {
    const store = await tempDir();
    const old = path.join(store.dir, 'acme', 'b.git');
    await mkdir(old, { recursive: true });
    await git(old, 'init', '-q', '--bare', '--template=');
    for (const [key, value] of PREVIOUS_CONFIG) await git(old, 'config', key, value);
    const url = `remote.origin.url=${path.join(served.root, 'acme', 'b')}`;
    await git(old, '-c', url, 'fetch', '-q', '--filter=blob:none', 'origin', '+refs/heads/*:refs/heads/*');
    const before = await git(old, 'rev-parse', 'refs/heads/main');

    const mirror = mirrorAt(store.dir);
    expect(await mirror.sync('acme/b', 'tok', { branches: ['main'] })).toBe(old);
    expect(mirror.rebuilds).toBe(0);
    expect(await git(old, 'rev-parse', 'refs/heads/main')).toBe(before);
    expect(await registryFile(old, 'b')).toBe('name: b');
    expect(await sharing(store.dir, old)).toEqual([true, true]);
    await store.cleanup();
  });

  it('a lost config is linked again; a damaged mirror is rebuilt with the shared files: HEAD lost, or overwritten in place', async () => {
    const store = await tempDir();
    const mirror = mirrorAt(store.dir);
    const [a, b] = await Promise.all(NAMES.map((n) => mirror.sync(`acme/${n}`, 'tok', { branches: ['main'] })));
    // A config lost is linked again (git reads a repository without one); a HEAD lost makes it no repository.
    await rm(path.join(a!, 'config'));
    await mirror.sync('acme/a', 'tok', { branches: ['main'] });
    expect(mirror.rebuilds).toBe(0);
    expect(await sharing(store.dir, a!)).toEqual([true, true]);
    await rm(path.join(a!, 'HEAD'));
    await mirror.sync('acme/a', 'tok', { branches: ['main'] });
    expect(mirror.rebuilds).toBe(1);
    expect(await sharing(store.dir, a!)).toEqual([true, true]);

    // Written through one mirror's link in place (not as git writes: a new file renamed over it), read-only or
    // not: every mirror's HEAD is garbage, and each is rebuilt.
    await chmod(path.join(b!, 'HEAD'), 0o644);
    await writeFile(path.join(b!, 'HEAD'), 'garbage\n');
    for (const n of NAMES) await mirror.sync(`acme/${n}`, 'tok', { branches: ['main'] });
    expect(mirror.rebuilds).toBe(3);
    expect(await readFile(path.join(store.dir, '.aegis-mirror-HEAD'), 'utf8')).toBe('ref: refs/heads/master\n');
    for (const [i, dir] of [a!, b!].entries()) {
      expect(await sharing(store.dir, dir)).toEqual([true, true]);
      expect(await registryFile(dir, NAMES[i]!)).toBe(await registryFile(repos[i]!.dir, NAMES[i]!));
    }
    await store.cleanup();
  });

  it('when a link cannot be made, a mirror gets a config and HEAD of its own and works as one that links', async () => {
    const store = await tempDir();
    // The copies' names are taken by folders (a hard link to a folder is refused, EPERM).
    for (const name of SHARED) await mkdir(path.join(store.dir, `.aegis-mirror-${name}`));
    const mirror = mirrorAt(store.dir);
    const dir = await mirror.sync('acme/a', 'tok', { branches: ['main'] });
    for (const name of SHARED) expect((await lstat(path.join(dir, name))).nlink).toBe(1);
    expect(await git(dir, 'config', '--get', 'extensions.partialClone')).toBe('origin');
    expect(await registryFile(dir, 'a')).toBe(await registryFile(repos[0]!.dir, 'a'));
    await repos[0]!.commit('main 5', { '.kiro/schemas/a.yaml': 'name: a5\n' });
    await mirror.sync('acme/a', 'tok', { branches: ['main'] });
    expect(await registryFile(dir, 'a')).toBe('name: a5');
    expect(mirror.rebuilds).toBe(0);
    expect((await readdir(dir)).filter((n) => n.includes('.aegis-'))).toEqual([]);
    await store.cleanup();
  });

  it("deletes the temporary files a crashed process left, and keeps a running process's", async () => {
    const store = await tempDir();
    const mirror = mirrorAt(store.dir);
    const dir = await mirror.sync('acme/b', 'tok', { branches: ['main'] });
    const exited = spawn('true');
    await once(exited, 'exit');
    const running = spawn('sleep', ['60']);
    const temps = (pid: number | undefined) => [
      `config.aegis-${pid}-0badc0de`,
      `.aegis-mirror-HEAD.aegis-${pid}-0badc0de`,
    ];
    const left = [...temps(exited.pid), ...temps(process.pid)];
    const kept = temps(running.pid);
    for (const at of [dir, store.dir]) for (const name of [...left, ...kept]) await writeFile(path.join(at, name), 'x');

    // A new process on the same disk: the root is tidied before its first sync, a mirror on each of its syncs.
    await mirrorAt(store.dir).sync('acme/b', 'tok', { branches: ['main'] });
    running.kill();
    for (const at of [dir, store.dir]) {
      const names = await readdir(at);
      expect(names.filter((n) => left.includes(n))).toEqual([]);
      expect(names.filter((n) => kept.includes(n)).sort()).toEqual([...kept].sort());
    }
    expect(await registryFile(dir, 'b')).toBe('name: b');
    await store.cleanup();
  });
});
