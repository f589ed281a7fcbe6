import { execFileSync } from 'node:child_process';

/** Whether `sha` names a commit of the repository at `gitDir` (GitHub answers 422 for check runs on others). */
export function commitExists(gitDir: string, sha: string): boolean {
  if (!/^[0-9a-f]{40}$/.test(sha)) return false;
  try {
    execFileSync('git', ['--git-dir', gitDir, 'cat-file', '-e', `${sha}^{commit}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
