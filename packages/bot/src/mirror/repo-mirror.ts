import path from 'node:path';
import { isBranchName, isObjectId } from '@aegis/git';
import { BoundedConcurrency } from './bounded-concurrency.js';
import { DiskBudget } from './disk-budget.js';
import { basicAuthHeader, gitConfigEnv } from './git-auth-env.js';
import {
  compactSmallMirror,
  deepenToMergeBases,
  fetchDecisionRefs,
  fetchRegistryBlobs,
  prepareMirror,
} from './fetch-plan.js';
import type { FetchCounters } from './fetch-plan.js';
import { mirrorGit } from './mirror-git.js';
import { MirrorPruner } from './prune-unreachable.js';
import { redactCredentials } from './redact-credentials.js';
import { removeLeftoverTemps } from './shared-files.js';
import { batchOptions, joinSyncBatch, syncBatch } from './sync-batch.js';
import type { SyncBatch, SyncOptions, TokenSource } from './sync-batch.js';

/** Options of the per-repository bare mirrors. */
export interface RepoMirrorOptions {
  /**
   * Where mirrors live: `<dir>/<owner>/<repo>.git`, beside the one copy of the `config` and `HEAD` every mirror
   * links to (`<dir>/.aegis-mirror-config`, `<dir>/.aegis-mirror-HEAD`: `shared-files.ts`).
   */
  dir: string;
  /**
   * The clone URL, with `{owner}` and `{repo}` placeholders (tests, GitHub Enterprise, a local fake).
   * Default: the repository's `clone_url` from the webhook payload.
   */
  urlTemplate?: string;
  /** Fetches of different repositories running at once (default 4); one repository's are always serialised. */
  concurrency?: number;
  /** Disk the mirrors may use; beyond it the least recently used are deleted (default: no limit). */
  diskBudgetBytes?: number;
  /**
   * How long a prune keeps the commits a sync named when no branch reaches them (a check may still be reading
   * them; default 60 000 ms). The current sync's are always kept.
   */
  keepSyncedMs?: number;
}

export type { SyncOptions, TokenSource } from './sync-batch.js';

/**
 * One blob-less bare mirror per repository (a partial clone of `origin`), fetched with the installation
 * token (sent as an HTTP header through the environment: never on the command line, never on disk). A sync
 * fetches only what a decision reads — the named branches and wanted commits, without blobs and 50 commits deep
 * (deepened in doubling steps when a merge base lies further back) — then the
 * registry's blobs (`.kiro/**`) at those commits and their merge bases in one more round trip when some are
 * missing. So a repository's unrelated files and pull-request refs cost nothing. Fetches of one repository
 * are serialised, and the syncs that wait behind a running one are joined into one fetch (a burst of events on
 * one repository costs a few fetches, not one each); across repositories at most `concurrency` run at once.
 * What no branch reaches (closed pull requests' commits and registry blobs) is dropped by a prune on a mirror's
 * first sync after a start and whenever its packs have doubled since its last prune (`prune-unreachable.ts`).
 */
export class RepoMirror {
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Per repository, the batch of syncs waiting for the next fetch (it closes when the fetch starts). */
  private readonly waiting = new Map<string, { batch: SyncBatch; done: Promise<string> }>();
  private readonly pending = new Map<string, number>();
  private readonly gate: BoundedConcurrency;
  private readonly budget: DiskBudget;
  private readonly pruner: MirrorPruner;
  /** The root's leftover temporary files, deleted before this process writes any there. */
  private rootTidied?: Promise<number>;
  /** Counters benchmarks and tests read: syncs, round trips, rebuilds of damaged mirrors, prunes. */
  readonly counters: FetchCounters = { fetches: 0, blobFetches: 0, fallbacks: 0, rebuilds: 0, deepens: 0, prunes: 0 };

  constructor(private readonly options: RepoMirrorOptions) {
    this.gate = new BoundedConcurrency(options.concurrency ?? 4);
    this.budget = new DiskBudget(options.dir, options.diskBudgetBytes);
    this.pruner = new MirrorPruner(options.keepSyncedMs);
  }

  /** How many syncs fetched (benchmarks report it next to API calls). */
  get fetches(): number {
    return this.counters.fetches;
  }

  /** How many mirrors were found damaged and rebuilt. */
  get rebuilds(): number {
    return this.counters.rebuilds;
  }

  /** How many mirrors were deleted to stay within the disk budget. */
  get evictions(): number {
    return this.budget.evictions;
  }

  /** The most fetches of different repositories that ran at once. */
  get peakConcurrency(): number {
    return this.gate.peak;
  }

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
   * Brings what a decision reads into the mirror and returns its git directory. Every `want` must be a full
   * object id and every branch a valid branch name, or the call fails with `MirrorInputError` before git runs.
   */
  async sync(fullName: string, token: TokenSource, options: SyncOptions = {}): Promise<string> {
    splitFullName(fullName);
    const bad = (options.want ?? []).find((sha) => !isObjectId(sha));
    if (bad !== undefined) throw new MirrorInputError(`not a commit id: ${JSON.stringify(bad.slice(0, 80))}`);
    const badBranch = (options.branches ?? []).find((b) => !isBranchName(b));
    if (badBranch !== undefined)
      throw new MirrorInputError(`not a branch name: ${JSON.stringify(badBranch.slice(0, 80))}`);
    const dir = this.gitDir(fullName);
    this.pending.set(dir, (this.pending.get(dir) ?? 0) + 1);
    try {
      return await this.join(fullName, token, options);
    } finally {
      this.pending.set(dir, (this.pending.get(dir) ?? 1) - 1);
    }
  }

  /**
   * Joins the batch waiting for this repository's next fetch, or opens one behind the running fetch. A joined
   * sync whose batch failed is tried alone, so one bad request never fails the others with it.
   */
  private async join(fullName: string, token: TokenSource, options: SyncOptions): Promise<string> {
    const open = this.waiting.get(fullName);
    if (open) {
      open.batch = joinSyncBatch(open.batch, token, options);
      return open.done.catch(() => this.enqueue(fullName, () => syncBatch(token, options)));
    }
    const entry = { batch: syncBatch(token, options), done: Promise.resolve('') };
    entry.done = this.enqueue(fullName, () => {
      if (this.waiting.get(fullName) === entry) this.waiting.delete(fullName);
      return entry.batch;
    });
    this.waiting.set(fullName, entry);
    return entry.done.catch((error: unknown) => {
      if (entry.batch.requests > 1) return this.enqueue(fullName, () => syncBatch(token, options));
      throw error;
    });
  }

  /** Runs a fetch after the repository's previous one, within the bound across repositories. */
  private enqueue(fullName: string, take: () => SyncBatch): Promise<string> {
    const previous = this.queues.get(fullName) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(() =>
        this.gate.run(() => {
          const batch = take();
          return this.update(fullName, batch.token, batchOptions(batch));
        }),
      );
    this.queues.set(fullName, next);
    return next;
  }

  private async update(fullName: string, source: TokenSource, options: SyncOptions): Promise<string> {
    const dir = this.gitDir(fullName);
    const url = this.url(fullName, options.cloneUrl);
    const token = typeof source === 'string' ? source : await source();
    const header = basicAuthHeader(token);
    const remote = mirrorGit(
      dir,
      gitConfigEnv(process.env, [
        ['remote.origin.url', url],
        ['http.extraHeader', header],
      ]),
    );
    const local = mirrorGit(dir);
    const secrets = [token, header.slice('Authorization: Basic '.length)];
    const fail = (error: unknown): never => {
      throw new MirrorFetchError(fullName, url, error, secrets);
    };
    this.counters.fetches += 1;
    const at = { dir, root: this.options.dir };
    await (this.rootTidied ??= removeLeftoverTemps(at.root));
    await prepareMirror(at, local, this.counters);
    const plan = { want: options.want ?? [], branches: options.branches };
    await fetchDecisionRefs(at, remote, local, plan, this.counters).catch(fail);
    const bases = await deepenToMergeBases(remote, local, plan, this.counters).catch(fail);
    await fetchRegistryBlobs(remote, local, { ...plan, bases }, this.counters).catch(fail);
    this.pruner.note(dir, plan.want);
    if (await this.pruner.pruneIfDue(dir, local).catch(() => false)) this.counters.prunes += 1;
    await local(['gc', '--auto', '--quiet']).catch(() => undefined);
    await compactSmallMirror(dir, local).catch(() => undefined);
    await this.budget.touch(dir);
    await this.budget.enforce((d) => (this.pending.get(d) ?? 0) > 0);
    return dir;
  }
}

/**
 * `owner/name`, each a GitHub name (letters, digits, `-`, `_`, `.`; never `.` or `..`, never a leading `-`); an
 * owner never starts with `.` either (GitHub's logins cannot), so no owner's folder is one of the files the
 * mirrors' root keeps for itself (`.aegis-mirror-config`, `.aegis-mirror-HEAD`).
 */
function splitFullName(fullName: string): [string, string] {
  const parts = fullName.split('/');
  const ok = (p: string | undefined): p is string =>
    p !== undefined && /^[\w.-]+$/.test(p) && p !== '.' && p !== '..' && !p.startsWith('-');
  if (parts.length !== 2 || !ok(parts[0]) || parts[0].startsWith('.') || !ok(parts[1]))
    throw new MirrorInputError(`not a repository name: ${JSON.stringify(fullName.slice(0, 80))}`);
  return [parts[0], parts[1]];
}

/** A value that must not reach git (not a commit id, not a branch or repository name). */
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
    const lines = typeof stderr === 'string' ? stderr.trim().split('\n') : [];
    const reason = lines.filter((l) => !l.startsWith('warning:')).at(-1) ?? 'git fetch failed';
    super(redactCredentials(`fetching ${repo} from ${url}: ${reason}`, secrets));
    this.name = 'MirrorFetchError';
  }
}
