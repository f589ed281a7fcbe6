import { InvalidRequestError } from './errors.js';
import type { BranchRef } from './types.js';

/** Longest repository name (`owner/name`) the stores accept, in UTF-8 bytes (GitHub's are far shorter). */
export const MAX_REPO_BYTES = 255;
/** Longest branch name the stores accept, in UTF-8 bytes: keys and audit ids stay within index limits. */
export const MAX_BRANCH_BYTES = 1000;

/**
 * Refuses a repository or branch name no store can key on (empty, or longer than the limits) with
 * `InvalidRequestError` — a 400 at the API — before it reaches a database index and fails as a 500.
 */
export function checkRef(ref: BranchRef): void {
  for (const [what, value, max] of [
    ['repository', ref.repo, MAX_REPO_BYTES],
    ['branch', ref.branch, MAX_BRANCH_BYTES],
  ] as const) {
    if (typeof value !== 'string' || value.length === 0) throw new InvalidRequestError(`the ${what} name is empty`);
    const bytes = Buffer.byteLength(value);
    if (bytes > max)
      throw new InvalidRequestError(`the ${what} name is ${bytes} bytes long; at most ${max} are accepted`);
  }
}
