import { resolveCommit } from './resolve-commit.js';
import { runGit } from './run-git.js';

/** The best common ancestor of two refs (what a pull request compares against), or undefined for unrelated histories. */
export async function mergeBase(repoDir: string, a: string, b: string): Promise<string | undefined> {
  const [left, right] = await Promise.all([resolveCommit(repoDir, a), resolveCommit(repoDir, b)]);
  const result = await runGit(repoDir, ['merge-base', left, right]);
  const sha = result.stdout.toString('utf8').trim();
  return result.code === 0 && sha !== '' ? sha : undefined;
}
