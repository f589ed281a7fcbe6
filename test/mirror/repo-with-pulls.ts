import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach } from 'vitest';
import { createGitRepo, git } from '../helpers/git-repo.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { tempDir } from '../helpers/temp-dir.js';
import { servedLikeGitHub } from './served-like-github.js';

/** What a mirror has, read with git alone (no remote configured: nothing can be fetched lazily). */
export const has = (dir: string, rev: string): Promise<boolean> =>
  git(dir, 'cat-file', '-e', rev).then(
    () => true,
    () => false,
  );

export const PULLS = 12;
/** Each PR adds a registry file of its own, incompressible, so its blob grows the mirror's packs. */
const PR_FILE_BYTES = 8 * 1024;
const prFile = (n: number) => `.kiro/schemas/pr-${n}.yaml`;

export interface RepoWithPulls {
  repo: GitRepo;
  /** Where the test's mirrors live. */
  mirrors: string;
  /** The head of PR n at index n - 1. */
  heads: string[];
  /** `<head>:<file>` of the registry file PR n adds. */
  prBlob: (n: number) => string;
}

/**
 * A registry served like GitHub with `PULLS` pull requests kept as GitHub keeps them (refs/pull/<n>/head only,
 * no branch), each adding a registry file of its own, and an empty mirror folder; fresh for each test.
 */
export function useRepoWithPulls(): RepoWithPulls {
  const heads: string[] = [];
  const state = { heads, prBlob: (n: number) => `${heads[n - 1]}:${prFile(n)}` } as RepoWithPulls;
  let cleanMirrors = async () => {};
  beforeEach(async () => {
    const repo = await createGitRepo({ files: { '.kiro/schemas/users.yaml': 'v: 1\n' } });
    await servedLikeGitHub(repo.dir);
    heads.length = 0;
    for (let n = 1; n <= PULLS; n++) {
      await repo.branch(`pr-${n}`, 'main');
      heads.push(await repo.commit(`pr ${n}`, { [prFile(n)]: randomBytes(PR_FILE_BYTES) }));
      await repo.checkout('main');
      await git(repo.dir, 'update-ref', `refs/pull/${n}/head`, heads[n - 1] as string);
      await git(repo.dir, 'branch', '-D', `pr-${n}`);
    }
    const mirrors = await tempDir();
    state.repo = repo;
    state.mirrors = mirrors.dir;
    cleanMirrors = mirrors.cleanup;
  });
  afterEach(async () => {
    await state.repo.cleanup();
    await cleanMirrors();
  });
  return state;
}
