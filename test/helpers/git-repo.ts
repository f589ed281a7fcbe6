import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile, rename as fsRename, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A real temporary git repository for tests. Paths are '/'-separated and relative to the repository root.
 * Every method runs git for real (no mocks), with a fixed identity and no user config, so tests behave the
 * same on every machine.
 */
export interface GitRepo {
  /** Absolute path of the working tree. */
  readonly dir: string;
  /** Runs `git <args>` in the repository and returns stdout without the trailing newline. */
  git(...args: string[]): Promise<string>;
  /** Writes files (creating folders); does not stage or commit. */
  write(files: Record<string, string | Uint8Array>): Promise<void>;
  /** Deletes files from the working tree; does not stage or commit. */
  remove(...paths: string[]): Promise<void>;
  /** Renames a file in the working tree (stage it with `commit`, which runs `git add -A`). */
  rename(from: string, to: string): Promise<void>;
  /** Writes `files` (if given), stages everything (`git add -A`) and commits; returns the new commit's SHA. */
  commit(message: string, files?: Record<string, string | Uint8Array>): Promise<string>;
  /** Creates a branch at HEAD (or at `from`) and switches to it. */
  branch(name: string, from?: string): Promise<void>;
  /** Switches to an existing branch or commit. */
  checkout(ref: string): Promise<void>;
  /** Merges `ref` into the current branch with a merge commit (`--no-ff`); returns the merge commit's SHA. */
  merge(ref: string, message?: string): Promise<string>;
  /** Tags HEAD (lightweight). */
  tag(name: string): Promise<void>;
  /** The SHA a ref points at (default HEAD). */
  sha(ref?: string): Promise<string>;
  /** Deletes the repository folder. */
  cleanup(): Promise<void>;
}

export interface CreateGitRepoOptions {
  /** Files of the first commit; without them the repository starts with no commit. */
  files?: Record<string, string | Uint8Array>;
  /** Name of the first branch (default `main`). */
  branch?: string;
  /** Message of the first commit (default `initial`). */
  message?: string;
}

/** Environment that isolates git from the machine's and the user's configuration. */
export const GIT_TEST_ENV: Record<string, string> = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Aegis Test',
  GIT_AUTHOR_EMAIL: 'test@aegis.invalid',
  GIT_COMMITTER_NAME: 'Aegis Test',
  GIT_COMMITTER_EMAIL: 'test@aegis.invalid',
  GIT_TERMINAL_PROMPT: '0',
};

/** Runs git in `cwd` with the isolated test environment. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', args, {
    cwd,
    env: { ...process.env, ...GIT_TEST_ENV },
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout.replace(/\n$/, '');
}

/**
 * Makes a new repository in a fresh temporary folder. Call `cleanup()` when done (in `afterEach`/`afterAll`).
 *
 * @example
 * const repo = await createGitRepo({ files: { '.kiro/schemas/users.yaml': usersYaml } });
 * await repo.branch('feature');
 * const head = await repo.commit('add column', { '.kiro/schemas/users.yaml': changed });
 */
export async function createGitRepo(options: CreateGitRepoOptions = {}): Promise<GitRepo> {
  const dir = await mkdtemp(path.join(tmpdir(), 'aegis-git-'));
  await git(dir, 'init', '-q', '-b', options.branch ?? 'main');
  await git(dir, 'config', 'commit.gpgsign', 'false');
  await git(dir, 'config', 'core.autocrlf', 'false');
  const repo = gitRepoAt(dir);
  if (options.files) await repo.commit(options.message ?? 'initial', options.files);
  return repo;
}

/** Wraps an existing working tree (for example a clone made with `git clone`) in the `GitRepo` API. */
export function gitRepoAt(dir: string): GitRepo {
  const abs = (p: string): string => path.join(dir, ...p.split('/'));
  const write = async (files: Record<string, string | Uint8Array>): Promise<void> => {
    for (const [file, content] of Object.entries(files)) {
      await mkdir(path.dirname(abs(file)), { recursive: true });
      await writeFile(abs(file), content);
    }
  };
  const sha = (ref = 'HEAD'): Promise<string> => git(dir, 'rev-parse', '--verify', `${ref}^{commit}`);
  return {
    dir,
    git: (...args) => git(dir, ...args),
    write,
    remove: async (...paths) => {
      for (const p of paths) await unlink(abs(p));
    },
    rename: async (from, to) => {
      await mkdir(path.dirname(abs(to)), { recursive: true });
      await fsRename(abs(from), abs(to));
    },
    commit: async (message, files) => {
      if (files) await write(files);
      await git(dir, 'add', '-A');
      await git(dir, 'commit', '-q', '--allow-empty', '-m', message);
      return sha();
    },
    branch: async (name, from) => {
      await git(dir, 'checkout', '-q', '-b', name, ...(from ? [from] : []));
    },
    checkout: async (ref) => {
      await git(dir, 'checkout', '-q', ref);
    },
    merge: async (ref, message) => {
      await git(dir, 'merge', '-q', '--no-ff', '-m', message ?? `merge ${ref}`, ref);
      return sha();
    },
    tag: async (name) => {
      await git(dir, 'tag', name);
    },
    sha,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
