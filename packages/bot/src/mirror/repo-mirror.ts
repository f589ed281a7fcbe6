import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { isObjectId } from '@aegis/git';
import { basicAuthHeader, gitConfigEnv } from './git-auth-env.js';
import { mirrorHealth } from './mirror-health.js';
import { redactCredentials } from './redact-credentials.js';

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

type Git = (...args: string[]) => Promise<{ stdout: string }>;

/**
 * One bare mirror per repository, fetched with the installation token (sent as an HTTP header through the
 * environment: never on the command line, never written to disk). Fetches of the same repository are
 * serialised; each event fetches once, so the cost of a PR event is one incremental fetch whatever the
 * registry size. Nothing from outside reaches git unchecked: commits must be full object ids, and every
 * argument list ends its options with `--end-of-options`.
 */
export class RepoMirror {
  private readonly queues = new Map<string, Promise<unknown>>();
  /** How many fetches ran (benchmarks report it next to API calls). */
  fetches = 0;
  /** How many mirrors were found shallow or damaged and rebuilt. */
  rebuilds = 0;

  constructor(private readonly options: RepoMirrorOptions) {}

  /** The git directory of a repository's mirror. */
  gitDir(fullName: string): string {
    const [owner, repo] = splitFullName(fullName);
    return path.join(this.options.dir, owner, `${repo}.git`);
  }

  /** The URL the mirror fetches from. */
  url(fullName: string, cloneUrl?: string): string {
    const [owner, repo] = splitFullName(fullName);
    if (this.options.urlTemplate) return this.options.urlTemplate.replace('{owner}', owner).replace('{repo}', repo);
    return cloneUrl ?? `https://github.com/${owner}/${repo}.git`;
  }

  /**
   * Brings the mirror up to date (branches and pull-request heads) and returns its git directory.
   * `want` lists commits that must be present afterwards (a PR head that is not on a branch); each must be
   * a full object id, or the call fails with `MirrorInputError` before git runs.
   */
  async sync(fullName: string, token: string, options: { cloneUrl?: string; want?: string[] } = {}): Promise<string> {
    splitFullName(fullName);
    const bad = (options.want ?? []).find((sha) => !isObjectId(sha));
    if (bad !== undefined) throw new MirrorInputError(`not a commit id: ${JSON.stringify(bad.slice(0, 80))}`);
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
    const header = basicAuthHeader(token);
    const env = { ...process.env, ...GIT_ENV, ...gitConfigEnv(process.env, [['http.extraHeader', header]]) };
    const git: Git = (...args) => run('git', args, { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 });
    const url = this.url(fullName, options.cloneUrl);
    const secrets = [token, header.slice('Authorization: Basic '.length)];
    const fetchRefs = (...refs: string[]): Promise<unknown> =>
      git('fetch', '-q', '--prune', '--no-tags', '--end-of-options', url, ...refs).catch((error: unknown) => {
        throw new MirrorFetchError(fullName, url, error, secrets);
      });
    await this.ensureHealthy(dir, git);
    this.fetches += 1;
    await fetchRefs('+refs/heads/*:refs/heads/*', '+refs/pull/*/head:refs/pull/*/head').catch(async (error) => {
      // A mirror damaged on disk fails every fetch: rebuild it once and fetch again; a network failure
      // leaves a healthy mirror and is reported as it is.
      if ((await mirrorHealth(dir, { deep: true })) === 'ok') throw error;
      await this.rebuild(dir, git);
      await fetchRefs('+refs/heads/*:refs/heads/*', '+refs/pull/*/head:refs/pull/*/head');
    });
    for (const sha of options.want ?? []) {
      const present = await git('cat-file', '-e', '--end-of-options', `${sha}^{commit}`).then(
        () => true,
        () => false,
      );
      if (present) continue;
      // A head on no branch or PR ref (a fork on Enterprise, a force-push race): ask for it by id. If that
      // fails too, the caller's read fails and says so on the check; other PRs are unaffected.
      await git('fetch', '-q', '--no-tags', '--end-of-options', url, sha).catch(() => undefined);
    }
    return dir;
  }

  /** Creates the mirror, or rebuilds it when it is shallow (history cut off for good) or damaged. */
  private async ensureHealthy(dir: string, git: Git): Promise<void> {
    const health = await mirrorHealth(dir);
    if (health === 'ok') return;
    if (health === 'missing') {
      await mkdir(dir, { recursive: true });
      await git('init', '-q', '--bare');
      return;
    }
    await this.rebuild(dir, git);
  }

  private async rebuild(dir: string, git: Git): Promise<void> {
    this.rebuilds += 1;
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await git('init', '-q', '--bare');
  }
}

/** `owner/name`, each a GitHub name (letters, digits, `-`, `_`, `.`; never `.` or `..`, never a leading `-`). */
function splitFullName(fullName: string): [string, string] {
  const parts = fullName.split('/');
  const ok = (p: string | undefined): p is string =>
    p !== undefined && /^[\w.-]+$/.test(p) && p !== '.' && p !== '..' && !p.startsWith('-');
  if (parts.length !== 2 || !ok(parts[0]) || !ok(parts[1]))
    throw new MirrorInputError(`not a repository name: ${JSON.stringify(fullName.slice(0, 80))}`);
  return [parts[0], parts[1]];
}

/** A value that must not reach git (not a commit id, not a repository name). */
export class MirrorInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MirrorInputError';
  }
}

/** A failed fetch, with git's complaint but never a credential (URL user information, token, header). */
export class MirrorFetchError extends Error {
  constructor(repo: string, url: string, cause: unknown, secrets: string[] = []) {
    const stderr = (cause as { stderr?: unknown }).stderr;
    const reason = typeof stderr === 'string' && stderr.trim() ? stderr.trim().split('\n').at(-1) : 'git fetch failed';
    super(redactCredentials(`fetching ${repo} from ${url}: ${reason}`, secrets));
    this.name = 'MirrorFetchError';
  }
}
