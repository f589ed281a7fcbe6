import { spawn } from 'node:child_process';

/** A git process's output; a non-zero exit rejects with a `MirrorGitError` carrying git's stderr. */
export type MirrorGit = (args: string[], input?: string) => Promise<string>;

/** Git that reads no system configuration and never prompts. */
const BASE_ENV = { GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', GIT_ASKPASS: 'true', LC_ALL: 'C' };

/**
 * Runs git in a mirror with `env` added to the process environment; `input` goes to stdin (object ids for
 * `fetch --stdin`, `cat-file --batch-check`), so long lists never reach the command line.
 */
export function mirrorGit(dir: string, env: Record<string, string> = {}): MirrorGit {
  return (args, input) =>
    new Promise((resolve, reject) => {
      const child = spawn('git', args, { cwd: dir, env: { ...process.env, ...BASE_ENV, ...env } });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', reject);
      child.on('close', (code) => {
        const stdout = Buffer.concat(out).toString('utf8');
        if (code === 0) resolve(stdout);
        else reject(new MirrorGitError(args[0] ?? '', code ?? 1, Buffer.concat(err).toString('utf8')));
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(input ?? '');
    });
}

/** A git command in a mirror that exited non-zero. */
export class MirrorGitError extends Error {
  constructor(
    readonly command: string,
    readonly code: number,
    readonly stderr: string,
  ) {
    super(`git ${command} exited ${code}`);
    this.name = 'MirrorGitError';
  }
}
