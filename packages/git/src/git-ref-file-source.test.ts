import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createGitRepo, git, type GitRepo } from '../../../test/helpers/git-repo.js';
import { BadRefError, MissingObjectError, NoSchemasError, NotARepositoryError } from './errors.js';
import { gitRefFileSource } from './git-ref-file-source.js';
import { registryVersionHash } from './registry-version-hash.js';

const schema = (name: string, extra = ''): string =>
  `name: ${name}\nowner: svc\nversion: 1.0.0\ncolumns:\n  - { name: id, type: UUID, primary_key: true }\n${extra}`;
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe('gitRefFileSource', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  const repoWith = async (files: Record<string, string | Uint8Array>): Promise<GitRepo> => {
    const repo = await createGitRepo({ files });
    cleanups.push(() => repo.cleanup());
    return repo;
  };

  it('reads the registry at a branch, a tag and a SHA without touching the working tree', async () => {
    const repo = await repoWith({ '.kiro/schemas/users.yaml': schema('users'), 'README.md': 'hi\n' });
    const first = await repo.sha();
    await repo.tag('v1');
    await repo.branch('feature');
    await repo.commit('add orders', {
      '.kiro/schemas/orders.yaml': schema('orders'),
      '.kiro/schemas/users.yaml': schema('users', '# v2\n'),
    });
    await repo.checkout('main');
    await repo.write({ '.kiro/schemas/users.yaml': 'uncommitted: true\n' });

    const feature = await gitRefFileSource(repo.dir, 'feature');
    expect(await feature.list()).toEqual(['.kiro/schemas/orders.yaml', '.kiro/schemas/users.yaml']);
    expect(text(await feature.read('.kiro/schemas/users.yaml'))).toBe(schema('users', '# v2\n'));
    for (const ref of ['v1', first, first.slice(0, 10), 'main']) {
      const source = await gitRefFileSource(repo.dir, ref);
      expect(source.commit).toBe(first);
      expect(await source.list()).toEqual(['.kiro/schemas/users.yaml']);
      expect(text(await source.read('.kiro/schemas/users.yaml'))).toBe(schema('users'));
      source.close();
    }
    expect(await readFile(path.join(repo.dir, '.kiro/schemas/users.yaml'), 'utf8')).toBe('uncommitted: true\n');
    feature.close();
  });

  it('exposes blob ids and the version hash, which changes only with the schema folder', async () => {
    const repo = await repoWith({ '.kiro/schemas/users.yaml': schema('users'), 'src/app.ts': 'x\n' });
    const before = await gitRefFileSource(repo.dir, 'HEAD');
    await repo.commit('code only', { 'src/app.ts': 'y\n' });
    const codeOnly = await registryVersionHash(repo.dir, 'HEAD');
    await repo.commit('schema', { '.kiro/schemas/users.yaml': schema('users', '# x\n') });
    const after = await gitRefFileSource(repo.dir, 'HEAD');

    expect(before.treeId).toBe(await git(repo.dir, 'rev-parse', 'HEAD~2:.kiro/schemas'));
    expect(codeOnly).toBe(before.treeId);
    expect(after.treeId).not.toBe(before.treeId);
    expect(before.blobId('.kiro/schemas/users.yaml')).toBe(
      await git(repo.dir, 'rev-parse', 'HEAD~2:.kiro/schemas/users.yaml'),
    );
    expect(after.entries).toEqual([
      { path: '.kiro/schemas/users.yaml', blobId: await git(repo.dir, 'rev-parse', 'HEAD:.kiro/schemas/users.yaml') },
    ]);
    before.close();
    after.close();
  });

  it('reads 300 files, in nested folders too, with one git process', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++)
      files[`.kiro/schemas/${i % 3 === 0 ? `sub/d${i % 2}/` : ''}t${i}.yaml`] = schema(`t${i}`);
    files['.kiro/other.yaml'] = 'not in the folder';
    const repo = await repoWith(files);
    const { log, restore } = await spyOnGitProcesses();
    try {
      const source = await gitRefFileSource(repo.dir, 'main');
      const paths = await source.list();
      const contents = await Promise.all(paths.map((p) => source.read(p)));
      const oneByOne = [];
      for (const p of paths.slice(0, 20)) oneByOne.push(text(await source.read(p)));
      source.close();
      expect(contents.map(text)).toEqual(paths.map((p) => files[p]));
      expect(oneByOne).toEqual(paths.slice(0, 20).map((p) => files[p]));
      const commands = (await readFile(log, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => line.split(' ').find((w) => !w.startsWith('-') && !w.includes('=')));
      expect(commands).toEqual(['cat-file']);
      expect(paths).toEqual(
        Object.keys(files)
          .filter((p) => p.startsWith('.kiro/schemas/'))
          .sort(),
      );
    } finally {
      await restore();
    }
  });

  it('returns binary and large files byte for byte (core reports them, nothing crashes)', async () => {
    const binary = new Uint8Array([0, 255, 10, 13, 0, 1, 2]);
    const big = 'x'.repeat(12 * 1024 * 1024);
    const repo = await repoWith({
      '.kiro/schemas/logo.png': binary,
      '.kiro/schemas/big.yaml': big,
      '.kiro/schemas/empty.yaml': '',
    });
    const source = await gitRefFileSource(repo.dir, 'HEAD');
    const [png, large, empty] = await source.readMany([
      '.kiro/schemas/logo.png',
      '.kiro/schemas/big.yaml',
      '.kiro/schemas/empty.yaml',
    ]);
    expect([...(png ?? [])]).toEqual([...binary]);
    expect(large?.length).toBe(big.length);
    expect(empty?.length).toBe(0);
    source.close();
  });

  it('names what is wrong: bad ref, no schema folder, not a repository', async () => {
    const repo = await repoWith({ 'README.md': 'no schemas\n' });
    await expect(gitRefFileSource(repo.dir, 'nope')).rejects.toThrow(BadRefError);
    await expect(gitRefFileSource(repo.dir, 'nope')).rejects.toThrow(/nope: no such branch, tag or commit/);
    await expect(gitRefFileSource(repo.dir, '--output=x')).rejects.toThrow(BadRefError);
    await expect(gitRefFileSource(repo.dir, 'HEAD')).rejects.toThrow(NoSchemasError);
    await expect(registryVersionHash(repo.dir, 'HEAD')).rejects.toThrow(/HEAD: no \.kiro\/schemas folder/);
    const plain = await mkdtemp(path.join(tmpdir(), 'aegis-plain-'));
    cleanups.push(() => rm(plain, { recursive: true, force: true }));
    await expect(gitRefFileSource(plain, 'HEAD')).rejects.toThrow(NotARepositoryError);
    await expect(gitRefFileSource(path.join(plain, 'missing'), 'HEAD')).rejects.toThrow(/no such folder/);
  });

  it('says to fetch more history when a shallow clone lacks the commit', async () => {
    const repo = await repoWith({ '.kiro/schemas/users.yaml': schema('users') });
    const old = await repo.sha();
    await repo.commit('two', { '.kiro/schemas/users.yaml': schema('users', '# 2\n') });
    const clone = await mkdtemp(path.join(tmpdir(), 'aegis-shallow-'));
    cleanups.push(() => rm(clone, { recursive: true, force: true }));
    await git(clone, 'clone', '-q', '--depth', '1', `file://${repo.dir}`, '.');

    expect(await (await gitRefFileSource(clone, 'HEAD')).list()).toEqual(['.kiro/schemas/users.yaml']);
    await expect(gitRefFileSource(clone, 'HEAD~1')).rejects.toThrow(MissingObjectError);
    await expect(gitRefFileSource(clone, old)).rejects.toThrow(/shallow clone.*fetch-depth: 0/);
  });
});

/** Puts a `git` wrapper first on PATH that logs each invocation, then runs the real git. */
async function spyOnGitProcesses(): Promise<{ log: string; restore: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'aegis-gitspy-'));
  const log = path.join(dir, 'calls.log');
  const real = (await git(tmpdir(), '--exec-path')) + '/git';
  await writeFile(path.join(dir, 'git'), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${real}' "$@"\n`);
  await chmod(path.join(dir, 'git'), 0o755);
  await writeFile(log, '');
  const oldPath = process.env.PATH;
  process.env.PATH = `${dir}${path.delimiter}${oldPath ?? ''}`;
  return {
    log,
    restore: async () => {
      process.env.PATH = oldPath;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

describe('CatFileBatch lifecycle', () => {
  it('fails reads cut off by close(), then serves new reads from a fresh process in order', async () => {
    const repo = await createGitRepo({ files: { '.kiro/schemas/a.yaml': 'a: 1\n', '.kiro/schemas/b.yaml': 'b: 2\n' } });
    try {
      const source = await gitRefFileSource(repo.dir, 'HEAD');
      const cut = source.read('.kiro/schemas/a.yaml');
      source.close();
      await expect(cut).rejects.toThrow(/closed while reading/);
      await expect(source.read('.kiro/schemas/nope.yaml')).rejects.toThrow(
        /nope\.yaml: not a file of the registry at HEAD/,
      );
      const [a, b] = await source.readMany(['.kiro/schemas/a.yaml', '.kiro/schemas/b.yaml']);
      expect([text(a ?? new Uint8Array()), text(b ?? new Uint8Array())]).toEqual(['a: 1\n', 'b: 2\n']);
      source.close();
    } finally {
      await repo.cleanup();
    }
  });
});
