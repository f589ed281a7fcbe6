import type { ChecksApi } from './checks/publish-check.js';

/** A pull request as the bot needs it. */
export interface PullInfo {
  number: number;
  headSha: string;
  baseRef: string;
  body: string | null;
  author: string;
  authorType: string;
  state: string;
}

/** A file a pull request changes, as GitHub lists it (`previousPath`: the old path of a rename). */
export interface PullFile {
  path: string;
  previousPath?: string;
}

/**
 * A commit of a pull request as GitHub lists it: `author`/`committer` are the GitHub logins GitHub mapped the
 * commit's emails to, null when it could not (an email no account has verified); the names are git's.
 */
export interface PullCommit {
  sha: string;
  parents: string[];
  author: string | null;
  committer: string | null;
  authorName: string;
  committerName: string;
}

/** GitHub lists at most this many commits of a pull request (`GET …/pulls/{n}/commits`, documented). */
export const PULL_COMMITS_CAP = 250;

/**
 * Everything the bot asks of GitHub, for one repository of one installation (policy-bot's pattern: GitHub
 * behind a small documented interface). `octokitGitHub` implements it over Probot's authenticated Octokit.
 */
export interface GitHubPort {
  readonly owner: string;
  readonly repo: string;
  readonly fullName: string;
  installationToken(): Promise<string>;
  checks: ChecksApi;
  getPull(number: number): Promise<PullInfo>;
  /**
   * The files a pull request changes (`GET …/pulls/{n}/files`), one page of 100 at a time, so a caller that has
   * seen enough stops asking. GitHub lists at most 3,000 files of a pull request.
   */
  pullFilePages(number: number): AsyncIterable<PullFile[]>;
  /**
   * The commits of a pull request since the merge base (`GET …/pulls/{n}/commits`, every page, oldest first),
   * with the GitHub users GitHub mapped their author and committer to. At most `PULL_COMMITS_CAP` are listed.
   */
  pullCommits(number: number): Promise<PullCommit[]>;
  /** Whether `path` exists at commit or branch `ref` (`GET …/contents/{path}`; 404 is no). */
  pathExists(path: string, ref: string): Promise<boolean>;
  /** Every open pull request into `baseRef` (into any branch when omitted), every page. */
  listOpenPulls(baseRef?: string): Promise<PullInfo[]>;
  createComment(issue: number, body: string): Promise<number>;
  updateComment(id: number, body: string): Promise<void>;
  listComments(issue: number): Promise<{ id: number; body: string; author: string }[]>;
  react(commentId: number, content: '+1' | '-1' | 'eyes' | 'confused' | 'rocket'): Promise<void>;
  /** The user's repository permission (`admin`, `maintain`, `write`, `triage`, `read`, `none`). */
  permission(login: string): Promise<string>;
  /** Whether issue `number` exists: `missing` (404), `disabled` (410: issues are turned off), else its state. */
  issueStatus(number: number): Promise<IssueStatus>;
  /** Whether the user is an active member of `org/team`. */
  isTeamMember(org: string, team: string, login: string): Promise<boolean>;
}

/** What GitHub says of an issue a pull request links. */
export type IssueStatus = 'open' | 'closed' | 'missing' | 'disabled';

/** The Octokit surface used (structural, so Probot's ProbotOctokit fits without importing its types). */
export interface OctokitLike {
  auth(options: { type: 'installation' }): Promise<unknown>;
  request(route: string, params?: Record<string, unknown>): Promise<{ data: unknown; status: number }>;
}

interface RawPull {
  number: number;
  body: string | null;
  state: string;
  head: { sha: string };
  base: { ref: string };
  user: { login: string; type: string } | null;
}

/** A `PullInfo` from GitHub's pull request JSON (REST answer or webhook payload). */
export function toPullInfo(p: RawPull): PullInfo {
  return {
    number: p.number,
    headSha: p.head.sha,
    baseRef: p.base.ref,
    body: p.body,
    author: p.user?.login ?? 'ghost',
    authorType: p.user?.type ?? 'User',
    state: p.state,
  };
}

type Request = (route: string, params?: Record<string, unknown>) => Promise<{ data: unknown; status: number }>;

/** Every page of a list endpoint, 100 at a time (one request per page; most lists fit in one). */
async function allPages<T>(req: Request, route: string, params: Record<string, unknown>): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; ; page++) {
    const { data } = await req(route, { ...params, per_page: 100, page });
    const items = data as T[];
    all.push(...items);
    if (items.length < 100) return all;
  }
}

const BASE_ROLES = new Set(['admin', 'maintain', 'write', 'triage', 'read']);

/**
 * The repository permission to judge by: `role_name` when it is one of the five base roles (it tells maintain
 * and triage apart), else the base `permission` a custom role inherits (`schema-editor` → `write`).
 */
export function basePermission(answer: { permission: string; role_name?: string }): string {
  return answer.role_name && BASE_ROLES.has(answer.role_name) ? answer.role_name : answer.permission;
}

/** What a request answers when GitHub says `status` (404: "no such thing" is an answer, not a failure). */
async function answerOn<T>(status: Record<number, T>, ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (error) {
    const code = (error as { status?: number }).status;
    if (code !== undefined && code in status) return status[code] as T;
    throw error;
  }
}

interface RawCommit {
  sha: string;
  parents: { sha: string }[];
  author: { login?: string } | null;
  committer: { login?: string } | null;
  commit: { author: { name?: string } | null; committer: { name?: string } | null };
}

/** A `PullCommit` from GitHub's commit JSON (`author`/`committer` null or `{}` when no user matched). */
export function toPullCommit(c: RawCommit): PullCommit {
  return {
    sha: c.sha,
    parents: c.parents.map((p) => p.sha),
    author: c.author?.login ?? null,
    committer: c.committer?.login ?? null,
    authorName: c.commit.author?.name ?? '',
    committerName: c.commit.committer?.name ?? '',
  };
}

type PullReads = Pick<GitHubPort, 'getPull' | 'pullFilePages' | 'pullCommits' | 'pathExists' | 'listOpenPulls'>;

/** The pull request reads: one pull, its files page by page, its commits, a path at a ref, the open pulls. */
function pullReads(req: Request): PullReads {
  return {
    getPull: async (number) =>
      toPullInfo((await req('GET /repos/{owner}/{repo}/pulls/{pull_number}', { pull_number: number })).data as RawPull),
    pullFilePages: async function* (number) {
      for (let page = 1; ; page++) {
        const { data } = await req('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', {
          pull_number: number,
          per_page: 100,
          page,
        });
        const files = data as { filename: string; previous_filename?: string }[];
        yield files.map((f) => ({
          path: f.filename,
          ...(f.previous_filename ? { previousPath: f.previous_filename } : {}),
        }));
        if (files.length < 100) return;
      }
    },
    pullCommits: async (number) =>
      (
        await allPages<RawCommit>(req, 'GET /repos/{owner}/{repo}/pulls/{pull_number}/commits', { pull_number: number })
      ).map(toPullCommit),
    pathExists: (path, ref) =>
      answerOn({ 404: false }, async () => {
        await req('GET /repos/{owner}/{repo}/contents/{path}', { path, ref });
        return true;
      }),
    listOpenPulls: async (baseRef) =>
      (
        await allPages<RawPull>(req, 'GET /repos/{owner}/{repo}/pulls', {
          state: 'open',
          ...(baseRef ? { base: baseRef } : {}),
        })
      ).map(toPullInfo),
  };
}

type CommentCalls = Pick<GitHubPort, 'createComment' | 'updateComment' | 'listComments' | 'react'>;

/** Issue and pull request comments: write, edit, list, react. */
function commentCalls(req: Request): CommentCalls {
  return {
    createComment: async (issue, body) =>
      (
        (await req('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { issue_number: issue, body }))
          .data as { id: number }
      ).id,
    updateComment: async (id, body) => {
      await req('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { comment_id: id, body });
    },
    listComments: async (issue) => {
      type RawComment = { id: number; body: string; user: { login: string } | null };
      const comments = await allPages<RawComment>(req, 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        issue_number: issue,
      });
      return comments.map((c) => ({ id: c.id, body: c.body, author: c.user?.login ?? 'ghost' }));
    },
    react: async (commentId, content) => {
      await req('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', {
        comment_id: commentId,
        content,
      });
    },
  };
}

type AccessReads = Pick<GitHubPort, 'permission' | 'issueStatus' | 'isTeamMember'>;

/** Who may do what, and whether a linked issue exists. */
function accessReads(req: Request, octokit: OctokitLike): AccessReads {
  return {
    // GitHub answers 404 for accounts it will not discuss (not a collaborator, deleted, …): no access.
    permission: (login) =>
      answerOn({ 404: 'none' }, async () => {
        const { data } = await req('GET /repos/{owner}/{repo}/collaborators/{username}/permission', {
          username: login,
        });
        return basePermission(data as { permission: string; role_name?: string });
      }),
    issueStatus: (number) =>
      answerOn<IssueStatus>({ 404: 'missing', 410: 'disabled' }, async () => {
        const { data } = await req('GET /repos/{owner}/{repo}/issues/{issue_number}', { issue_number: number });
        return (data as { state: string }).state === 'closed' ? 'closed' : 'open';
      }),
    isTeamMember: (org, team, login) =>
      answerOn({ 404: false }, async () => {
        const { data } = await octokit.request('GET /orgs/{org}/teams/{team_slug}/memberships/{username}', {
          org,
          team_slug: team,
          username: login,
        });
        return (data as { state?: string }).state === 'active';
      }),
  };
}

/** `GitHubPort` over an installation-authenticated Octokit. */
export function octokitGitHub(octokit: OctokitLike, fullName: string): GitHubPort {
  const [owner = '', repo = ''] = fullName.split('/');
  const base = { owner, repo };
  const req: Request = (route, params = {}) => octokit.request(route, { ...base, ...params });
  return {
    owner,
    repo,
    fullName,
    installationToken: async () => ((await octokit.auth({ type: 'installation' })) as { token: string }).token,
    checks: {
      create: async (p) =>
        (await octokit.request('POST /repos/{owner}/{repo}/check-runs', p)) as { data: { id: number } },
      update: (p) => octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', p),
    },
    ...pullReads(req),
    ...commentCalls(req),
    ...accessReads(req, octokit),
  };
}
