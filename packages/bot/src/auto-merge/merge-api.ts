import type { MergeMethod } from '../bot-context.js';
import type { OctokitLike } from '../github.js';

/** What GitHub says about merging a pull request now. */
export interface MergeState {
  number: number;
  headSha: string;
  headRef: string;
  baseRef: string;
  body: string | null;
  state: string;
  merged: boolean;
  /** A draft: GitHub will not merge it. */
  draft: boolean;
  /** `true` / `false`, or `null` while GitHub is still computing it. */
  mergeable: boolean | null;
  /** GitHub's verdict: `clean`, `unstable`, `has_hooks` can merge; `blocked`, `behind`, `dirty`, `draft` cannot. */
  mergeableState: string;
}

/** One check run on a commit, as listed by GitHub. */
export interface CommitCheck {
  name: string;
  status: string;
  conclusion: string | null;
}

/** The answer of a merge request. */
export interface MergeAnswer {
  merged: boolean;
  message: string;
  sha?: string;
}

/** The GitHub calls auto-merge and the indexing interface make besides the bot's `GitHubPort`. */
export interface MergeApi {
  mergeState(pull: number): Promise<MergeState>;
  /** Every open pull request with its head and base (mergeability is not in the list: ask `mergeState`). */
  openPulls(): Promise<Omit<MergeState, 'mergeable' | 'mergeableState'>[]>;
  /** This app's latest check run of each name on a commit (other apps' runs of the same names do not count). */
  commitChecks(sha: string): Promise<CommitCheck[]>;
  /** Merges only if the head is still `sha`; a refusal (405/409/422) is an answer, not an exception. */
  merge(pull: number, sha: string, message: string): Promise<MergeAnswer>;
  /** The repository's default branch and clone URL. */
  repository(): Promise<{ defaultBranch: string; cloneUrl?: string }>;
}

interface RawPull {
  number: number;
  body: string | null;
  state: string;
  merged?: boolean;
  draft?: boolean;
  mergeable?: boolean | null;
  mergeable_state?: string;
  head: { sha: string; ref: string };
  base: { ref: string };
}

function brief(p: RawPull): Omit<MergeState, 'mergeable' | 'mergeableState'> {
  return {
    number: p.number,
    headSha: p.head.sha,
    headRef: p.head.ref,
    baseRef: p.base.ref,
    body: p.body,
    state: p.state,
    merged: p.merged ?? false,
    draft: p.draft ?? false,
  };
}

/** How `octokitMergeApi` decides: whose check runs count, how to merge, how long to wait for mergeability. */
export interface MergeApiOptions {
  /** This app's id: only its check runs count. Unset: every app's (the newest of a name first). */
  appId?: number;
  /** The merge method; unset: the first the repository allows (merge, squash, rebase). */
  mergeMethod?: MergeMethod;
  /** Waits between re-reads while GitHub computes mergeability (`mergeable: null`). */
  mergeablePollMs?: readonly number[];
}

/** GitHub computes mergeability in the background after a push and asks clients to ask again. */
const MERGEABLE_POLL_MS = [250, 500, 1000, 2000, 4000];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

type Request = (route: string, params?: Record<string, unknown>) => Promise<{ data: unknown; status: number }>;

/** Every page of a list answer, 100 at a time, until a short page. */
async function pages<T>(req: Request, route: string, params: Record<string, unknown>, pick: (d: unknown) => T[]) {
  const all: T[] = [];
  for (let page = 1; ; page++) {
    const items = pick((await req(route, { ...params, per_page: 100, page })).data);
    all.push(...items);
    if (items.length < 100) return all;
  }
}

async function mergeMethodOf(req: Request): Promise<MergeMethod> {
  const { data } = await req('GET /repos/{owner}/{repo}');
  const d = data as { allow_merge_commit?: boolean; allow_squash_merge?: boolean; allow_rebase_merge?: boolean };
  if (d.allow_merge_commit !== false) return 'merge';
  if (d.allow_squash_merge !== false) return 'squash';
  return d.allow_rebase_merge !== false ? 'rebase' : 'merge';
}

/** `MergeApi` over an installation-authenticated Octokit. */
export function octokitMergeApi(octokit: OctokitLike, fullName: string, options: MergeApiOptions = {}): MergeApi {
  const [owner = '', repo = ''] = fullName.split('/');
  const req: Request = (route, params = {}) => octokit.request(route, { owner, repo, ...params });
  const readPull = async (pull: number): Promise<MergeState> => {
    const p = (await req('GET /repos/{owner}/{repo}/pulls/{pull_number}', { pull_number: pull })).data as RawPull;
    return { ...brief(p), mergeable: p.mergeable ?? null, mergeableState: p.mergeable_state ?? 'unknown' };
  };
  return {
    mergeState: async (pull) => {
      let state = await readPull(pull);
      for (const wait of options.mergeablePollMs ?? MERGEABLE_POLL_MS) {
        if (state.mergeable !== null || state.state !== 'open') break;
        await sleep(wait);
        state = await readPull(pull);
      }
      return state;
    },
    openPulls: async () =>
      (await pages(req, 'GET /repos/{owner}/{repo}/pulls', { state: 'open' }, (d) => d as RawPull[])).map(brief),
    commitChecks: async (sha) => {
      type Run = CommitCheck & { app?: { id: number } | null };
      const runs = await pages(
        req,
        'GET /repos/{owner}/{repo}/commits/{ref}/check-runs',
        { ref: sha, ...(options.appId ? { app_id: options.appId } : {}) },
        (d) => (d as { check_runs: Run[] }).check_runs,
      );
      return runs
        .filter((c) => !options.appId || c.app?.id === options.appId)
        .map((c) => ({ name: c.name, status: c.status, conclusion: c.conclusion }));
    },
    merge: async (pull, sha, message) => {
      try {
        const { data } = await req('PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge', {
          pull_number: pull,
          sha,
          commit_title: message,
          merge_method: options.mergeMethod ?? (await mergeMethodOf(req)),
          // A refusal (405 review missing, 409 head moved) is an answer: never retried, the switch is rolled back now.
          request: { retries: 0 },
        });
        const d = data as { merged: boolean; message: string; sha?: string };
        return { merged: d.merged, message: d.message, ...(d.sha ? { sha: d.sha } : {}) };
      } catch (error) {
        const status = (error as { status?: number }).status;
        if (status === 405 || status === 409 || status === 422) {
          return { merged: false, message: (error as Error).message || `merge refused (${status})` };
        }
        throw error;
      }
    },
    repository: async () => {
      const { data } = await req('GET /repos/{owner}/{repo}');
      const d = data as { default_branch: string; clone_url?: string };
      return { defaultBranch: d.default_branch, ...(d.clone_url ? { cloneUrl: d.clone_url } : {}) };
    },
  };
}
