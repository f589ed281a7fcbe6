import { git } from '../helpers/git-repo.js';

/**
 * Makes a local repository serve fetches the way GitHub does when a mirror fetches it by path: blob-less
 * (`--filter=blob:none`) and any object asked for by id. Without this git ignores the filter and sends every blob.
 */
export async function servedLikeGitHub(dir: string): Promise<void> {
  await git(dir, 'config', 'uploadpack.allowFilter', 'true');
  await git(dir, 'config', 'uploadpack.allowAnySHA1InWant', 'true');
}
