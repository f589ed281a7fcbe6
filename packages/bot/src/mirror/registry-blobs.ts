import type { MirrorGit } from './mirror-git.js';

/** The folder whose blobs every decision reads: schemas, the policy, registry metadata. */
export const REGISTRY_DIR = '.kiro';

/**
 * Object ids of the registry blobs (`.kiro/**`) at `commits` that the blob-less mirror does not have yet.
 * Runs locally only: `--missing=print` never fetches.
 */
export async function missingRegistryBlobs(local: MirrorGit, commits: string[]): Promise<string[]> {
  if (commits.length === 0) return [];
  const lines = await local(['cat-file', '--batch-check'], commits.map((c) => `${c}:${REGISTRY_DIR}\n`).join(''));
  const trees = [
    ...new Set(
      lines
        .split('\n')
        .map((l) => l.split(' '))
        .filter((f) => f[1] === 'tree')
        .map((f) => f[0] as string),
    ),
  ];
  if (trees.length === 0) return [];
  const listed = await local(['rev-list', '--objects', '--missing=print', '--stdin'], trees.join('\n') + '\n');
  return [
    ...new Set(
      listed
        .split('\n')
        .filter((l) => l.startsWith('?'))
        .map((l) => l.slice(1)),
    ),
  ];
}

/**
 * The merge bases of each wanted commit with each branch (the base side of a pull request's diff, whose registry
 * the checks read too), and how many (commit, branch) pairs have none in the history the mirror holds
 * (a shallow history that does not reach it, or unrelated histories). One `git merge-base` per pair.
 */
export async function findMergeBases(
  local: MirrorGit,
  wants: readonly string[],
  branches: readonly string[],
): Promise<{ bases: string[]; missing: number }> {
  const bases = new Set<string>();
  let missing = 0;
  for (const want of wants)
    for (const branch of branches) {
      const base = await local(['merge-base', '--end-of-options', want, `refs/heads/${branch}`]).catch(() => '');
      if (base.trim()) bases.add(base.trim());
      else missing += 1;
    }
  return { bases: [...bases], missing };
}
