import type { FakeCheckRun, FakeComment, FakeGitHubState } from './fake-github-state.js';
import { GitHubContract } from './github-contract.js';

type Json = Record<string, unknown>;

const API = 'https://api.github.com';
const example = (route: string, status: number): Json => GitHubContract.get().example(route, status);
const nodeId = (kind: string, id: number): string => Buffer.from(`${kind}${id}`).toString('base64');
const loginId = (login: string): number => [...login].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1e7, 7) + 1;

/** A `simple-user` as GitHub embeds it (bots end in `[bot]` and have type `Bot`). */
export function userJson(login: string): Json {
  const url = `${API}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id: loginId(login),
    node_id: nodeId('User', loginId(login)),
    avatar_url: `https://avatars.githubusercontent.com/u/${loginId(login)}`,
    gravatar_id: '',
    url,
    html_url: login.endsWith('[bot]') ? `https://github.com/apps/${login.slice(0, -5)}` : `https://github.com/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: login.endsWith('[bot]') ? 'Bot' : 'User',
    site_admin: false,
  };
}

/** The `integration` object of the app that owns a check run. */
function appJson(appId: number, ownAppId: number): Json {
  const app = example('POST /repos/{owner}/{repo}/check-runs', 201)['app'] as Json;
  const slug = appId === ownAppId ? 'aegis-test' : `app-${appId}`;
  return { ...app, id: appId, slug, name: slug, node_id: nodeId('Integration', appId) };
}

/** A `check-run` answer; `pull_requests` lists the open same-repository PRs on its head (never forks'). */
export function checkRunJson(state: FakeGitHubState, run: FakeCheckRun): Json {
  const url = `${API}/repos/${run.repo}/check-runs/${run.id}`;
  const pulls = [...state.pulls.values()].filter(
    (p) => p.headSha === run.headSha && (p.state ?? 'open') === 'open' && !p.fork,
  );
  return {
    ...example('POST /repos/{owner}/{repo}/check-runs', 201),
    id: run.id,
    node_id: nodeId('CheckRun', run.id),
    head_sha: run.headSha,
    name: run.name,
    url,
    html_url: `https://github.invalid/${run.repo}/runs/${run.id}`,
    details_url: null,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    external_id: run.externalId,
    output: {
      title: run.title || null,
      summary: run.summary || null,
      text: run.text,
      annotations_count: run.annotations.length,
      annotations_url: `${url}/annotations`,
    },
    check_suite: { id: 5 },
    app: appJson(run.appId, state.appId),
    pull_requests: pulls.map((p) => ({
      url: `${API}/repos/${run.repo}/pulls/${p.number}`,
      id: p.number + 100_000,
      number: p.number,
      head: { ref: p.headRef, sha: p.headSha, repo: { id: 1, url: `${API}/repos/${run.repo}`, name: 'r' } },
      base: {
        ref: p.baseRef,
        sha: p.baseSha ?? '0'.repeat(40),
        repo: { id: 1, url: `${API}/repos/${run.repo}`, name: 'r' },
      },
    })),
  };
}

/** An `issue-comment` answer. */
export function commentJson(c: FakeComment): Json {
  return {
    ...example('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', 201),
    id: c.id,
    node_id: nodeId('IssueComment', c.id),
    url: `${API}/repos/${c.repo}/issues/comments/${c.id}`,
    html_url: `https://github.invalid/${c.repo}/issues/${c.issue}#issuecomment-${c.id}`,
    issue_url: `${API}/repos/${c.repo}/issues/${c.issue}`,
    body: c.body,
    user: userJson(c.user),
    author_association: c.user.endsWith('[bot]') ? 'NONE' : 'MEMBER',
  };
}

/** An `issue` answer for issue `number`. */
export function issueJson(
  repo: string,
  number: number,
  issue: { state: string; locked: boolean; title: string },
): Json {
  const url = `${API}/repos/${repo}/issues/${number}`;
  return {
    id: number + 200_000,
    node_id: nodeId('Issue', number),
    url,
    repository_url: `${API}/repos/${repo}`,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `https://github.invalid/${repo}/issues/${number}`,
    number,
    state: issue.state,
    title: issue.title,
    body: null,
    user: userJson('octocat'),
    labels: [],
    assignee: null,
    milestone: null,
    locked: issue.locked,
    comments: 0,
    closed_at: null,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  };
}

/** A `repository-collaborator-permission` answer: the base `permission` and the `role_name`, custom or not. */
export function permissionJson(login: string, permission: string, roleName: string): Json {
  return { permission, role_name: roleName, user: { ...userJson(login), role_name: roleName } };
}

/** A `reaction` answer. */
export function reactionJson(id: number, content: string, login: string): Json {
  return {
    ...example('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', 201),
    id,
    content,
    user: userJson(login),
  };
}
