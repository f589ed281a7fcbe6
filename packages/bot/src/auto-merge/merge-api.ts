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
  /** `true` / `false`, or `null` while GitHub is still computing it. */
  mergeable: boolean | null;
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
  /** Check runs on a commit (`GET /commits/{ref}/check-runs`). */
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
  };
}

/** `MergeApi` over an installation-authenticated Octokit. */
export function octokitMergeApi(octokit: OctokitLike, fullName: string): MergeApi {
  const [owner = '', repo = ''] = fullName.split('/');
  const req = (route: string, params: Record<string, unknown> = {}): Promise<{ data: unknown; status: number }> =>
    octokit.request(route, { owner, repo, ...params });
  return {
    mergeState: async (pull) => {
      const p = (await req('GET /repos/{owner}/{repo}/pulls/{pull_number}', { pull_number: pull })).data as RawPull;
      return { ...brief(p), mergeable: p.mergeable ?? null, mergeableState: p.mergeable_state ?? 'unknown' };
    },
    openPulls: async () => {
      const { data } = await req('GET /repos/{owner}/{repo}/pulls', { state: 'open', per_page: 100 });
      return (data as RawPull[]).map(brief);
    },
    commitChecks: async (sha) => {
      const { data } = await req('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', { ref: sha, per_page: 100 });
      return (data as { check_runs: CommitCheck[] }).check_runs.map((c) => ({
        name: c.name,
        status: c.status,
        conclusion: c.conclusion,
      }));
    },
    merge: async (pull, sha, message) => {
      try {
        const { data } = await req('PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge', {
          pull_number: pull,
          sha,
          commit_title: message,
          merge_method: 'merge',
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
