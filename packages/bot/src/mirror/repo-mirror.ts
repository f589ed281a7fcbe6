import { execFile } from 'node:child_process';
import { mkdir, access } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const GIT_ENV = { GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', GIT_ASKPASS: 'true' };

/** Options of the per-repository bare mirrors. */
export interface RepoMirrorOptions {
  /** Where mirrors live: `<dir>/<owner>/<repo>.git`. */
  dir: string;
  /**
   * The clone URL, with `{owner}` and `{repo}` placeholders (tests, GitHub Enterprise, a local fake).
   * Default: the repository's `clone_url` from the webhook payload.
   */
  urlTemplate?: string;
}

/**
 * One bare mirror per repository, fetched with the installation token (sent as an HTTP header, never
 * written to disk). Fetches of the same repository are serialised; each event fetches once, so the cost of a
 * PR event is one incremental fetch whatever the registry size.
 */
export class RepoMirror {
  private readonly queues = new Map<string, Promise<unknown>>();
  /** How many fetches ran (benchmarks report it next to API calls). */
  fetches = 0;

  constructor(private readonly options: RepoMirrorOptions) {}

  /** The git directory of a repository's mirror. */
  gitDir(fullName: string): string {
    const [owner = '', repo = ''] = fullName.split('/');
    return path.join(this.options.dir, owner, `${repo}.git`);
  }

  /** The URL the mirror fetches from. */
  url(fullName: string, cloneUrl?: string): string {
    const [owner = '', repo = ''] = fullName.split('/');
    if (this.options.urlTemplate) return this.options.urlTemplate.replace('{owner}', owner).replace('{repo}', repo);
    return cloneUrl ?? `https://github.com/${owner}/${repo}.git`;
  }

  /**
   * Brings the mirror up to date (branches and pull-request heads) and returns its git directory.
   * `want` lists commits that must be present afterwards (a PR head that is not on a branch).
   */
  async sync(fullName: string, token: string, options: { cloneUrl?: string; want?: string[] } = {}): Promise<string> {
    const previous = this.queues.get(fullName) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.fetch(fullName, token, options));
    this.queues.set(fullName, next);
    return next;
  }

  private async fetch(
    fullName: string,
    token: string,
    options: { cloneUrl?: string; want?: string[] },
  ): Promise<string> {
    const dir = this.gitDir(fullName);
    const git = (...args: string[]): Promise<{ stdout: string }> =>
      run('git', args, { cwd: dir, env: { ...process.env, ...GIT_ENV }, maxBuffer: 64 * 1024 * 1024 });
    if (!(await exists(path.join(dir, 'HEAD')))) {
      await mkdir(dir, { recursive: true });
      await git('init', '-q', '--bare');
    }
    const header = `http.extraHeader=Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
    const url = this.url(fullName, options.cloneUrl);
    const fetch = (...refs: string[]): Promise<unknown> =>
      git('-c', header, 'fetch', '-q', '--prune', '--no-tags', url, ...refs).catch((error: unknown) => {
        throw new MirrorFetchError(fullName, url, error);
      });
    this.fetches += 1;
    await fetch('+refs/heads/*:refs/heads/*', '+refs/pull/*/head:refs/pull/*/head');
    for (const sha of options.want ?? []) {
      const present = await git('cat-file', '-e', `${sha}^{commit}`).then(
        () => true,
        () => false,
      );
      if (present) continue;
      // A head on no branch or PR ref (a fork on Enterprise, a force-push race): ask for it by id. If that
      // fails too, the caller's read fails and says so on the check; other PRs are unaffected.
      await git('-c', header, 'fetch', '-q', '--no-tags', url, sha).catch(() => undefined);
    }
    return dir;
  }
}

/** A failed fetch, with git's complaint but never the command line (it carries the token header). */
export class MirrorFetchError extends Error {
  constructor(repo: string, url: string, cause: unknown) {
    const stderr = (cause as { stderr?: unknown }).stderr;
    const reason = typeof stderr === 'string' && stderr.trim() ? stderr.trim().split('\n').at(-1) : 'git fetch failed';
    super(`fetching ${repo} from ${url}: ${reason}`);
    this.name = 'MirrorFetchError';
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
