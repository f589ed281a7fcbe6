import { BadRefError, MissingObjectError } from './errors.js';
import { gitFailed, runGit } from './run-git.js';

/**
 * Resolves a branch, tag, SHA or revision expression (`HEAD~2`) to a full commit SHA. A name git cannot
 * resolve is a `BadRefError`, except in a shallow clone, where the commit is more likely cut off from the
 * history: then a `MissingObjectError` says to fetch more.
 */
export async function resolveCommit(repoDir: string, ref: string): Promise<string> {
  if (ref === '' || ref.startsWith('-')) throw new BadRefError(ref);
  const args = ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`];
  const result = await runGit(repoDir, args);
  if (result.code === 0) return result.stdout.toString('utf8').trim();
  if (result.code !== 1 && result.stderr.trim() !== '') throw gitFailed(args, result.stderr);
  if (await isShallow(repoDir)) throw new MissingObjectError(ref, true);
  throw new BadRefError(ref);
}

/** Whether the repository is a shallow clone (some history is not present locally). */
export async function isShallow(repoDir: string): Promise<boolean> {
  const result = await runGit(repoDir, ['rev-parse', '--is-shallow-repository']);
  return result.code === 0 && result.stdout.toString('utf8').trim() === 'true';
}
