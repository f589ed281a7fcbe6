import { describe, expect, it } from 'vitest';
import type { OctokitLike } from '../github.js';
import { gitHubError } from '../test-support/fake-github-port.js';
import { octokitMergeApi } from './merge-api.js';

/** An Octokit answering each route from a table (a function may vary the answer per call); calls recorded. */
function octokit(answers: Record<string, unknown>) {
  const calls: { route: string; params: Record<string, unknown> }[] = [];
  const client: OctokitLike = {
    auth: async () => ({ token: 't' }),
    request: async (route, params = {}) => {
      calls.push({ route, params });
      const answer = answers[route];
      if (answer === undefined) throw gitHubError(404, `unexpected ${route}`);
      const data = typeof answer === 'function' ? (answer as (p: Record<string, unknown>) => unknown)(params) : answer;
      if (data instanceof Error) throw data;
      return { data, status: 200 };
    },
  };
  return { client, calls };
}

const rawPull = (mergeable: boolean | null, extra: Record<string, unknown> = {}) => ({
  number: 7,
  body: null,
  state: 'open',
  head: { sha: 'a'.repeat(40), ref: 'feature' },
  base: { ref: 'main' },
  mergeable,
  mergeable_state: mergeable === null ? 'unknown' : 'clean',
  ...extra,
});

describe('octokitMergeApi: what auto-merge reads from and asks of GitHub', () => {
  it("counts only this app's check runs, even when another app uses the same names", async () => {
    const run = (name: string, app: number, conclusion: string) => ({
      name,
      status: 'completed',
      conclusion,
      app: { id: app },
    });
    const { client, calls } = octokit({
      'GET /repos/{owner}/{repo}/commits/{ref}/check-runs': {
        check_runs: [
          run('aegis/validate', 99, 'success'),
          run('aegis/validate', 42, 'failure'),
          run('aegis/rbac', 42, 'success'),
        ],
      },
    });
    const checks = await octokitMergeApi(client, 'acme/registry', { appId: 42 }).commitChecks('abc');
    expect(checks).toEqual([
      { name: 'aegis/validate', status: 'completed', conclusion: 'failure' },
      { name: 'aegis/rbac', status: 'completed', conclusion: 'success' },
    ]);
    expect(calls[0]?.params).toMatchObject({ owner: 'acme', repo: 'registry', ref: 'abc', app_id: 42 });
  });

  it('asks again while GitHub is still computing mergeability, and stops once it knows', async () => {
    const answers = [rawPull(null), rawPull(null), rawPull(true)];
    const { client, calls } = octokit({ 'GET /repos/{owner}/{repo}/pulls/{pull_number}': () => answers.shift() });
    const state = await octokitMergeApi(client, 'acme/registry', { mergeablePollMs: [0, 0, 0, 0] }).mergeState(7);
    expect(state).toMatchObject({ mergeable: true, mergeableState: 'clean', headRef: 'feature', draft: false });
    expect(calls).toHaveLength(3);
  });

  it('gives up waiting after the last poll and reports mergeable null', async () => {
    const { client, calls } = octokit({ 'GET /repos/{owner}/{repo}/pulls/{pull_number}': rawPull(null) });
    const state = await octokitMergeApi(client, 'acme/registry', { mergeablePollMs: [0, 0] }).mergeState(7);
    expect(state.mergeable).toBeNull();
    expect(calls).toHaveLength(3);
  });

  it('answers a refused merge (405/409/422) instead of throwing, and throws anything else', async () => {
    const table: [number, boolean][] = [
      [405, false],
      [409, false],
      [422, false],
      [502, true],
    ];
    for (const [status, throws] of table) {
      const { client } = octokit({
        'GET /repos/{owner}/{repo}': { allow_merge_commit: false, allow_squash_merge: true },
        'PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge': gitHubError(status, `refused ${status}`),
      });
      const merging = octokitMergeApi(client, 'acme/registry').merge(7, 'abc', 'm');
      if (throws) await expect(merging).rejects.toMatchObject({ status });
      else await expect(merging).resolves.toEqual({ merged: false, message: `refused ${status}` });
    }
  });

  it('merges at the given head with the first method the repository allows, or the configured one', async () => {
    const merged = { merged: true, message: 'ok', sha: 'm'.repeat(40) };
    const { client, calls } = octokit({
      'GET /repos/{owner}/{repo}': { allow_merge_commit: false, allow_squash_merge: false, allow_rebase_merge: true },
      'PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge': merged,
    });
    expect(await octokitMergeApi(client, 'acme/registry').merge(7, 'abc', 'Merge #7')).toEqual(merged);
    expect(calls.at(-1)?.params).toMatchObject({ pull_number: 7, sha: 'abc', merge_method: 'rebase' });
    await octokitMergeApi(client, 'acme/registry', { mergeMethod: 'squash' }).merge(7, 'abc', 'Merge #7');
    expect(calls.at(-1)?.params).toMatchObject({ merge_method: 'squash' });
  });
});
