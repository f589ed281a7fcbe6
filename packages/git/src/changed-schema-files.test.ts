import { afterEach, describe, expect, it } from 'vitest';
import { createGitRepo, git, type GitRepo } from '../../../test/helpers/git-repo.js';
import { changedSchemaFiles } from './changed-schema-files.js';
import { BadRefError, UnknownVersionError } from './errors.js';
import { registryDelta } from './registry-delta.js';
import { registryVersionHash } from './registry-version-hash.js';

// Each schema's lines all carry its name, so different schemas never look like renames of each other.
const schema = (name: string, cols = ''): string =>
  `name: ${name}\nowner: ${name}-service\nversion: 1.0.0\ncolumns:\n  - { name: ${name}_id, type: UUID, primary_key: true }\n${cols}`;
const blob = (repo: GitRepo, rev: string): Promise<string> => git(repo.dir, 'rev-parse', rev);

describe('changedSchemaFiles', () => {
  let repo: GitRepo;
  afterEach(async () => repo.cleanup());

  it('lists added, modified, removed and renamed schema files with blob ids, ignoring other folders', async () => {
    repo = await createGitRepo({
      files: {
        '.kiro/schemas/users.yaml': schema('users'),
        '.kiro/schemas/old_orders.yaml': schema('orders'),
        '.kiro/schemas/gone.yaml': schema('gone'),
        'src/x.ts': '1',
      },
    });
    await repo.branch('feature');
    await repo.rename('.kiro/schemas/old_orders.yaml', '.kiro/schemas/orders.yaml');
    await repo.remove('.kiro/schemas/gone.yaml');
    await repo.commit('change', {
      '.kiro/schemas/users.yaml': schema('users', '  - { name: email, type: TEXT }\n'),
      '.kiro/schemas/items.yaml': schema('items'),
      'src/x.ts': '2',
    });

    const changes = await changedSchemaFiles(repo.dir, 'main', 'feature');
    expect(changes).toEqual([
      {
        status: 'removed',
        path: '.kiro/schemas/gone.yaml',
        oldBlobId: await blob(repo, 'main:.kiro/schemas/gone.yaml'),
      },
      {
        status: 'added',
        path: '.kiro/schemas/items.yaml',
        blobId: await blob(repo, 'feature:.kiro/schemas/items.yaml'),
      },
      {
        status: 'renamed',
        path: '.kiro/schemas/orders.yaml',
        oldPath: '.kiro/schemas/old_orders.yaml',
        blobId: await blob(repo, 'feature:.kiro/schemas/orders.yaml'),
        oldBlobId: await blob(repo, 'main:.kiro/schemas/old_orders.yaml'),
        similarity: 100,
      },
      {
        status: 'modified',
        path: '.kiro/schemas/users.yaml',
        blobId: await blob(repo, 'feature:.kiro/schemas/users.yaml'),
        oldBlobId: await blob(repo, 'main:.kiro/schemas/users.yaml'),
      },
    ]);
    expect(await changedSchemaFiles(repo.dir, 'feature', 'feature')).toEqual([]);
    await expect(changedSchemaFiles(repo.dir, 'main', 'nope')).rejects.toThrow(BadRefError);
  });

  it('compares against the merge base when asked, as a pull request does', async () => {
    repo = await createGitRepo({ files: { '.kiro/schemas/users.yaml': schema('users') } });
    await repo.branch('feature');
    await repo.commit('feature work', { '.kiro/schemas/orders.yaml': schema('orders') });
    await repo.checkout('main');
    await repo.commit('main moved on', { '.kiro/schemas/audit.yaml': schema('audit') });

    const direct = await changedSchemaFiles(repo.dir, 'main', 'feature');
    expect(direct.map((c) => `${c.status} ${c.path}`)).toEqual([
      'removed .kiro/schemas/audit.yaml',
      'added .kiro/schemas/orders.yaml',
    ]);
    const pr = await changedSchemaFiles(repo.dir, 'main', 'feature', { mergeBase: true });
    expect(pr.map((c) => `${c.status} ${c.path}`)).toEqual(['added .kiro/schemas/orders.yaml']);

    const merged = await repo.merge('feature');
    const sinceMain = await changedSchemaFiles(repo.dir, 'main~1', merged);
    expect(sinceMain.map((c) => `${c.status} ${c.path}`)).toEqual(['added .kiro/schemas/orders.yaml']);
  });
});

describe('registryDelta', () => {
  let repo: GitRepo;
  afterEach(async () => repo.cleanup());

  it('answers only what changed since a version hash, and unchanged when nothing did', async () => {
    repo = await createGitRepo({
      files: { '.kiro/schemas/users.yaml': schema('users'), '.kiro/schemas/a.yaml': schema('a') },
    });
    const v1 = await registryVersionHash(repo.dir, 'HEAD');
    expect(await registryDelta(repo.dir, v1, 'HEAD')).toMatchObject({
      since: v1,
      versionHash: v1,
      unchanged: true,
      changed: [],
      removed: [],
    });

    await repo.commit('docs only', { 'README.md': 'x' });
    expect((await registryDelta(repo.dir, v1, 'HEAD')).unchanged).toBe(true);

    await repo.rename('.kiro/schemas/a.yaml', '.kiro/schemas/b.yaml');
    await repo.commit('change', {
      '.kiro/schemas/users.yaml': schema('users', '  - { name: email, type: TEXT }\n'),
      '.kiro/schemas/c.yaml': schema('c'),
    });
    const delta = await registryDelta(repo.dir, v1, 'HEAD');
    expect(delta.versionHash).toBe(await registryVersionHash(repo.dir, 'HEAD'));
    expect(delta.unchanged).toBe(false);
    expect(delta.changed.map((c) => c.path)).toEqual([
      '.kiro/schemas/b.yaml',
      '.kiro/schemas/c.yaml',
      '.kiro/schemas/users.yaml',
    ]);
    expect(delta.changed[2]?.blobId).toBe(await blob(repo, 'HEAD:.kiro/schemas/users.yaml'));
    expect(delta.removed).toEqual(['.kiro/schemas/a.yaml']);

    // Going back is a delta too: the hash need not be an ancestor.
    const back = await registryDelta(repo.dir, delta.versionHash, 'HEAD~2');
    expect(back.versionHash).toBe(v1);
    expect(back.removed).toEqual(['.kiro/schemas/b.yaml', '.kiro/schemas/c.yaml']);
  });

  it('refuses a hash that is not a registry tree of this repository', async () => {
    repo = await createGitRepo({ files: { '.kiro/schemas/users.yaml': schema('users') } });
    await expect(registryDelta(repo.dir, 'f'.repeat(40), 'HEAD')).rejects.toThrow(UnknownVersionError);
    await expect(registryDelta(repo.dir, await repo.sha(), 'HEAD')).rejects.toThrow(/not a registry version/);
    await expect(registryDelta(repo.dir, 'HEAD', 'HEAD')).rejects.toThrow(UnknownVersionError);
  });
});
