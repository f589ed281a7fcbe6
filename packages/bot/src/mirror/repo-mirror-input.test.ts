import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MirrorInputError, RepoMirror } from './repo-mirror.js';

// What a webhook or API body could name: every one is refused before git runs or anything is written.
const HOSTILE_NAMES = [
  '../escape',
  'acme/..',
  'acme/.',
  '-upload-pack/x',
  'acme/-x',
  'acme/b/c',
  'acme',
  'acme/b c',
  '.aegis-mirror-config/x',
  '.hidden/x',
  '',
];

describe('RepoMirror refuses what is not a repository, commit or branch', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'aegis-mirror-input-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it.each(HOSTILE_NAMES)('repository %j', async (name) => {
    const mirror = new RepoMirror({ dir: root, urlTemplate: '/nowhere/{owner}/{repo}' });
    await expect(mirror.sync(name, 'tok')).rejects.toThrow(MirrorInputError);
    expect(await readdir(root)).toEqual([]);
    expect(mirror.fetches).toBe(0);
  });

  it('a commit that is not a full id, or a branch git would read as an option', async () => {
    const mirror = new RepoMirror({ dir: root, urlTemplate: '/nowhere/{owner}/{repo}' });
    await expect(mirror.sync('acme/x', 'tok', { want: ['HEAD'] })).rejects.toThrow(/not a commit id/);
    await expect(mirror.sync('acme/x', 'tok', { branches: ['--upload-pack=touch'] })).rejects.toThrow(
      /not a branch name/,
    );
    expect(await readdir(root)).toEqual([]);
  });

  it('a repository whose name starts with a dot is a repository like any other', () => {
    const mirror = new RepoMirror({ dir: root });
    expect(mirror.gitDir('acme/.github')).toBe(path.join(root, 'acme', '.github.git'));
  });
});
