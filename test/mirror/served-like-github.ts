import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createGitRepo, git } from '../helpers/git-repo.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { tempDir } from '../helpers/temp-dir.js';

/**
 * Makes a local repository serve fetches the way GitHub does when a mirror fetches it by path: blob-less
 * (`--filter=blob:none`) and any object asked for by id. Without this git ignores the filter and sends every blob.
 */
export async function servedLikeGitHub(dir: string): Promise<void> {
  await git(dir, 'config', 'uploadpack.allowFilter', 'true');
  await git(dir, 'config', 'uploadpack.allowAnySHA1InWant', 'true');
}

/** Repositories `acme/<name>` served like GitHub from `<root>/acme/<name>`, made once for a suite. */
export interface ServedRepos {
  repos: GitRepo[];
  root: string;
  /** A `RepoMirror` URL template that reaches them. */
  urlTemplate: () => string;
}

/** Makes `acme/<name>` for each name, with `files(name)`, before the suite; removes them after it. */
export function useServedRepos(names: readonly string[], files: (name: string) => Record<string, string>): ServedRepos {
  const served: ServedRepos = { repos: [], root: '', urlTemplate: () => path.join(served.root, '{owner}', '{repo}') };
  let cleanRoot = async () => {};
  beforeAll(async () => {
    const links = await tempDir();
    served.root = links.dir;
    cleanRoot = links.cleanup;
    await mkdir(path.join(links.dir, 'acme'));
    for (const name of names) {
      const repo = await createGitRepo({ files: files(name) });
      await servedLikeGitHub(repo.dir);
      await symlink(repo.dir, path.join(links.dir, 'acme', name));
      served.repos.push(repo);
    }
  });
  afterAll(async () => {
    for (const repo of served.repos) await repo.cleanup();
    await cleanRoot();
  });
  return served;
}
