import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { GitRegistryError, NotARepositoryError } from './errors.js';

/** What a finished git process returned; `code` 0 is success. */
export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** Git reads no user configuration that could change its output (pagers, colour, quoted paths). */
const GIT_ENV = { GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', LC_ALL: 'C' };

/**
 * Runs one git process in `repoDir` and collects its output. A non-zero exit is returned, not thrown, so
 * callers decide what it means; only "git could not run here at all" throws.
 */
export async function runGit(repoDir: string, args: string[]): Promise<GitResult> {
  const result = await new Promise<GitResult & { spawnError?: NodeJS.ErrnoException }>((resolve) => {
    execFile(
      'git',
      ['-c', 'core.quotePath=false', ...args],
      { cwd: repoDir, env: { ...process.env, ...GIT_ENV }, encoding: 'buffer', maxBuffer: 1024 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const spawnError =
          error && typeof (error as NodeJS.ErrnoException).code === 'string'
            ? (error as NodeJS.ErrnoException)
            : undefined;
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr: stderr.toString('utf8'), spawnError });
      },
    );
  });
  if (result.spawnError) await explainSpawnError(repoDir, result.spawnError);
  if (/not a git repository/i.test(result.stderr)) throw new NotARepositoryError(repoDir);
  return result;
}

/** Like `runGit`, but a non-zero exit throws with git's own first line of complaint. */
export async function runGitOk(repoDir: string, args: string[]): Promise<Buffer> {
  const result = await runGit(repoDir, args);
  if (result.code !== 0) throw gitFailed(args, result.stderr);
  return result.stdout;
}

/** The error for a git command that failed in a way we do not explain more precisely. */
export function gitFailed(args: string[], stderr: string): GitRegistryError {
  const line = stderr.split('\n').find((l) => l.trim() !== '') ?? 'no message';
  return new GitRegistryError('git-failed', `git ${args[0] ?? ''} failed: ${line.replace(/^fatal: /, '')}`);
}

async function explainSpawnError(repoDir: string, error: NodeJS.ErrnoException): Promise<never> {
  const info = await stat(repoDir).catch(() => undefined);
  if (!info) throw new NotARepositoryError(repoDir, 'no such folder');
  if (!info.isDirectory()) throw new NotARepositoryError(repoDir, 'not a folder');
  if (error.code === 'ENOENT')
    throw new GitRegistryError('git-failed', 'git is not installed or not on PATH. Install git and try again.');
  throw new GitRegistryError('git-failed', `git could not start: ${error.message}`);
}
