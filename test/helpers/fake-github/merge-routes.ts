import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { GIT_TEST_ENV } from '../git-repo.js';
import type { FakeGitHubState } from './fake-github-state.js';
import type { Route } from './routes.js';
import { pullObject } from './webhooks.js';

/** What a test controls about merging: GitHub's mergeability per PR and merges it refuses. */
export interface MergeWorld {
  /** `mergeable` per PR number (default true). */
  mergeable: Map<number, boolean | null>;
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
    world = { mergeable: new Map(), refuse: new Map(), merged: [] };
    worlds.set(state, world);
  }
  return world;
}

const repoOf = (p: string[]): string => `${p[0]}/${p[1]}`;

/**
 * The REST endpoints auto-merge and the indexing API use: repository info, a PR with its mergeability, the
 * check runs on a commit, and the merge itself — a real `git merge --no-ff` into the base branch of the
 * backing repository (which keeps that branch checked out).
 */
export const MERGE_ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)$/,
    handle(state, { params }) {
      const repo = state.repos.get(repoOf(params));
      if (!repo) return { status: 404, body: { message: 'Not Found' } };
      return {
        status: 200,
        body: {
          full_name: repoOf(params),
          default_branch: repo.defaultBranch,
          clone_url: `https://github.invalid/${repoOf(params)}.git`,
        },
      };
    },
  },
  {
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/,
    handle(state, { params }) {
      const pull = state.pull(repoOf(params), Number(params[2]));
      if (!pull) return { status: 404, body: { message: 'Not Found' } };
      const mergeable = mergeWorld(state).mergeable.get(pull.number) ?? true;
      const body = pullObject(pull, { fullName: repoOf(params), installationId: 1 });
      return { status: 200, body: { ...body, mergeable, mergeable_state: mergeable ? 'clean' : 'dirty' } };
    },
  },
  {
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/commits\/([0-9a-f]{40})\/check-runs$/,
    handle(state, { params }) {
      const runs = state.checkRuns.filter((c) => c.repo === repoOf(params) && c.headSha === params[2]).reverse();
      const body = runs.map((r) => ({
        id: r.id,
        name: r.name,
        head_sha: r.headSha,
        status: r.status,
        conclusion: r.conclusion,
      }));
      return { status: 200, body: { total_count: body.length, check_runs: body } };
    },
  },
  {
    method: 'PUT',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/merge$/,
    handle(state, { params, body }) {
      const world = mergeWorld(state);
      const pull = state.pull(repoOf(params), Number(params[2]));
      const repo = state.repos.get(repoOf(params));
      if (!pull || !repo) return { status: 404, body: { message: 'Not Found' } };
      const refusal = world.refuse.get(pull.number);
      if (refusal) return { status: 405, body: { message: refusal } };
      if (body['sha'] !== pull.headSha)
        return { status: 409, body: { message: 'Head branch was modified. Review and try the merge again.' } };
      const cwd = path.dirname(repo.gitDir);
      const git = (...args: string[]): string =>
        execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_TEST_ENV } })
          .toString()
          .trim();
      git('checkout', '-q', pull.baseRef);
      git(
        'merge',
        '-q',
        '--no-ff',
        '-m',
        typeof body['commit_title'] === 'string' ? body['commit_title'] : `Merge #${pull.number}`,
        pull.headSha,
      );
      const sha = git('rev-parse', 'HEAD');
      Object.assign(pull, { state: 'closed', merged: true });
      world.merged.push(pull.number);
      return { status: 200, body: { sha, merged: true, message: 'Pull Request successfully merged' } };
    },
  },
];
