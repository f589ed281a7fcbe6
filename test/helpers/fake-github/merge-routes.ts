import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { GIT_TEST_ENV } from '../git-repo.js';
import type { FakeGitHubState } from './fake-github-state.js';
import { checkRunJson } from './json-shapes.js';
import { paginate } from './paginate.js';
import type { Route, RouteAnswer } from './routes.js';
import type { TestPull } from './webhooks.js';
import { pullObject } from './webhooks.js';

/** GitHub's `mergeable_state` values the fake models. */
export type MergeableState = 'clean' | 'dirty' | 'blocked' | 'behind' | 'draft' | 'unstable' | 'unknown';

/** What a test controls about merging: GitHub's mergeability per PR and merges it refuses. */
export interface MergeWorld {
  /** `mergeable` per PR number (default true). */
  mergeable: Map<number, boolean | null>;
  /** `mergeable_state` per PR number (default: `clean`, `dirty` when not mergeable, `draft` for drafts). */
  mergeableState: Map<number, MergeableState>;
  /**
   * How many more reads of a PR answer `mergeable: null` (GitHub computes mergeability in the background after a
   * push and answers null until it is done).
   */
  computing: Map<number, number>;
  /** PRs whose merge GitHub refuses, with the message (e.g. a required review missing). */
  refuse: Map<number, string>;
  /** PRs merged, in order. */
  merged: number[];
}

const worlds = new WeakMap<FakeGitHubState, MergeWorld>();

/** The merge state of a fake (created on first use). */
export function mergeWorld(state: FakeGitHubState): MergeWorld {
  let world = worlds.get(state);
  if (!world) {
    world = { mergeable: new Map(), mergeableState: new Map(), computing: new Map(), refuse: new Map(), merged: [] };
    worlds.set(state, world);
  }
  return world;
}

const repoOf = (p: string[]): string => `${p[0]}/${p[1]}`;

/** `mergeable` and `mergeable_state` as GitHub would answer them now for `pull`. */
function mergeability(
  world: MergeWorld,
  pull: TestPull,
): { mergeable: boolean | null; mergeable_state: MergeableState } {
  const left = world.computing.get(pull.number) ?? 0;
  if (left > 0) {
    world.computing.set(pull.number, left - 1);
    return { mergeable: null, mergeable_state: 'unknown' };
  }
  const mergeable = world.mergeable.has(pull.number) ? (world.mergeable.get(pull.number) ?? null) : true;
  const fallback: MergeableState =
    mergeable === null ? 'unknown' : !mergeable ? 'dirty' : pull.draft ? 'draft' : 'clean';
  return { mergeable, mergeable_state: world.mergeableState.get(pull.number) ?? fallback };
}

const REFUSALS: Partial<Record<MergeableState, string>> = {
  dirty: 'Pull Request is not mergeable',
  blocked: 'At least 1 approving review is required by reviewers with write access.',
  behind: 'Head branch is not up to date with the base branch',
  draft: 'Pull Request is still a draft',
};

/** Why GitHub refuses to merge `pull` now (405), or undefined. */
function refusal(state: FakeGitHubState, repo: string, pull: TestPull, method: string): string | undefined {
  const world = mergeWorld(state);
  const settings = state.repos.get(repo);
  if (settings && !settings.mergeMethods.has(method as 'merge'))
    return `${method === 'merge' ? 'Merge commits' : method === 'squash' ? 'Squash merges' : 'Rebase merges'} are not allowed on this repository.`;
  if (pull.draft) return REFUSALS.draft;
  const explicit = world.refuse.get(pull.number);
  if (explicit) return explicit;
  const current = world.mergeableState.get(pull.number);
  if (current && REFUSALS[current]) return REFUSALS[current];
  return world.mergeable.get(pull.number) === false ? REFUSALS.dirty : undefined;
}

function merge(state: FakeGitHubState, repo: string, pull: TestPull, body: Record<string, unknown>): RouteAnswer {
  const method = typeof body['merge_method'] === 'string' ? body['merge_method'] : 'merge';
  const refused = refusal(state, repo, pull, method);
  if (refused) return { status: 405, body: { message: refused } };
  if (body['sha'] !== undefined && body['sha'] !== pull.headSha)
    return { status: 409, body: { message: 'Head branch was modified. Review and try the merge again.' } };
  const gitDir = state.repos.get(repo)?.gitDir ?? '';
  const cwd = path.dirname(gitDir);
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_TEST_ENV } })
      .toString()
      .trim();
  git('checkout', '-q', pull.baseRef);
  const title = typeof body['commit_title'] === 'string' ? body['commit_title'] : `Merge #${pull.number}`;
  if (method === 'merge') {
    git('merge', '-q', '--no-ff', '-m', title, pull.headSha);
  } else {
    git('merge', '-q', '--squash', pull.headSha);
    git('commit', '-q', '-m', title);
  }
  const sha = git('rev-parse', 'HEAD');
  Object.assign(pull, { state: 'closed', merged: true });
  mergeWorld(state).merged.push(pull.number);
  return { status: 200, body: { sha, merged: true, message: 'Pull Request successfully merged' } };
}

/** The latest run per (name, app) first, as GitHub's default `filter=latest` answers. */
function latestRuns(state: FakeGitHubState, repo: string, sha: string, query: URLSearchParams) {
  const runs = state.checkRuns.filter((c) => c.repo === repo && c.headSha === sha).reverse();
  const name = query.get('check_name');
  const appId = query.get('app_id');
  const seen = new Set<string>();
  return runs.filter((r) => {
    if ((name && r.name !== name) || (appId && String(r.appId) !== appId)) return false;
    if (query.get('filter') === 'all') return true;
    const key = `${r.name}\u0000${r.appId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The REST endpoints of pull requests and merging: a PR with its mergeability, the open PRs, the check runs on a
 * commit, and the merge itself — a real `git merge` into the base branch of the backing repository (which keeps
 * that branch checked out).
 */
export const MERGE_ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/,
    handle(state, { params }) {
      const pull = state.pull(repoOf(params), Number(params[2]));
      if (!pull) return { status: 404, body: { message: 'Not Found' } };
      const body = pullObject(pull, { fullName: repoOf(params), installationId: 1 });
      return { status: 200, body: { ...body, ...mergeability(mergeWorld(state), pull) } };
    },
  },
  {
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/pulls$/,
    handle(state, { params, query, pageUrl }) {
      const repo = repoOf(params);
      const wanted = query.get('state') ?? 'open';
      const list = [...state.pulls.entries()]
        .filter(([k, p]) => k.startsWith(`${repo}#`) && (wanted === 'all' || (p.state ?? 'open') === wanted))
        .filter(([, p]) => !query.get('base') || p.baseRef === query.get('base'))
        .map(([, p]) => pullObject(p, { fullName: repo, installationId: 1 }));
      const page = paginate(list, query, pageUrl);
      return { status: 200, body: page.items, headers: page.headers };
    },
  },
  {
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)\/check-runs$/,
    handle(state, { params, query, pageUrl }) {
      const runs = latestRuns(state, repoOf(params), params[2] ?? '', query);
      const page = paginate(runs, query, pageUrl);
      const body = { total_count: runs.length, check_runs: page.items.map((r) => checkRunJson(state, r)) };
      return { status: 200, body, headers: page.headers };
    },
  },
  {
    method: 'PUT',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/merge$/,
    handle(state, { params, body }) {
      const pull = state.pull(repoOf(params), Number(params[2]));
      if (!pull || !state.repos.has(repoOf(params))) return { status: 404, body: { message: 'Not Found' } };
      if (pull.state === 'closed') return { status: 405, body: { message: 'Pull Request is not mergeable' } };
      return merge(state, repoOf(params), pull, body);
    },
  },
];
