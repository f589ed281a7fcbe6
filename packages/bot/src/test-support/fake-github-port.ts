import type { CommitCheck, MergeAnswer, MergeApi, MergeState } from '../auto-merge/merge-api.js';
import { PULL_COMMITS_CAP } from '../github.js';
import type { GitHubPort, IssueStatus, PullCommit, PullFile, PullInfo } from '../github.js';

/** One call the code under test made, in order. */
export interface PortCall {
  method: string;
  args: unknown[];
}

/** A comment as the fake holds it. */
export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  author: string;
  /** How many times it was edited with `updateComment`. */
  updates: number;
}

/** A check run created through `checks.create`, with every later `checks.update` merged in. */
export interface FakeCheckRun {
  id: number;
  params: Record<string, unknown>;
  updates: Record<string, unknown>[];
}

/** An error GitHub answers with (`status` as Octokit's `RequestError` carries it). */
export function gitHubError(status: number, message = `HTTP ${status}`): Error & { status: number } {
  return Object.assign(new Error(message), { status });
}

/** A pull request for tests: `aPull(12, { author: 'alice' })`; merge fields default to a clean, open PR. */
export function aPull(number: number, fields: Partial<MergeState & PullInfo> = {}): MergeState & PullInfo {
  return {
    number,
    headSha: `${number}`.padStart(40, 'a'),
    headRef: `feature-${number}`,
    baseRef: 'main',
    body: null,
    author: 'alice',
    authorType: 'User',
    state: 'open',
    merged: false,
    draft: false,
    mergeable: true,
    mergeableState: 'clean',
    ...fields,
  };
}

/** A commit of a pull request for tests: `aCommit('c1', { author: 'mallory' })`; by alice unless told. */
export function aCommit(sha: string, fields: Partial<PullCommit> = {}): PullCommit {
  const author = fields.author === undefined ? 'alice' : fields.author;
  return {
    sha: sha.padEnd(40, '0'),
    parents: [],
    author,
    committer: author,
    authorName: author ?? 'Someone',
    committerName: author ?? 'Someone',
    ...fields,
  };
}

type Method = Exclude<keyof (GitHubPort & MergeApi), 'owner' | 'repo' | 'fullName' | 'checks'> | 'checks.create';

/**
 * An in-memory `GitHubPort` (and the auto-merge `MergeApi`) made of fields, after policy-bot's
 * `pull/pulltest/context.go`: a test sets what GitHub knows (pulls, permissions, team members, issues, check
 * runs on commits, merge answers), runs the code, then reads what was done (`comments`, `reactions`,
 * `checkRuns`, `merges`) and every call in order (`calls`). Answers follow GitHub's: an unknown pull is a
 * 404, an unknown login has permission `none`, an unknown issue is `missing`. A method named in `failures`
 * throws that error instead (an outage, a 5xx).
 */
export class FakeGitHubPort implements GitHubPort, MergeApi {
  owner = 'acme';
  repo = 'registry';
  token = 'installation-token';
  defaultBranch = 'main';
  cloneUrl: string | undefined = undefined;
  /** Login the fake writes comments as. */
  botLogin = 'aegis[bot]';
  pulls = new Map<number, MergeState & PullInfo>();
  /** Repository permission by login (`admin`, `maintain`, `write`, `triage`, `read`). */
  permissions: Record<string, string> = {};
  /** Active members by `org/team`. */
  teams: Record<string, string[]> = {};
  issues: Record<number, IssueStatus> = {};
  /** Check runs listed on a commit (this app's, newest first), by sha. */
  commitCheckRuns: Record<string, CommitCheck[]> = {};
  /** What a merge request answers; default: merged. */
  mergeAnswer: MergeAnswer = { merged: true, message: 'Pull Request successfully merged' };
  failures: Partial<Record<Method, Error>> = {};
  /** The files each pull request changes, as GitHub lists them (served 100 to a page). */
  pullFiles: Record<number, PullFile[]> = {};
  /** The commits of each pull request since the merge base, oldest first (GitHub lists the first 250). */
  commits: Record<number, PullCommit[]> = {};
  /** `path@ref` pairs that exist (`pathExists`). */
  existingPaths = new Set<string>();

  readonly calls: PortCall[] = [];
  readonly comments: FakeComment[] = [];
  readonly reactions: { commentId: number; content: string }[] = [];
  readonly checkRuns: FakeCheckRun[] = [];
  readonly merges: { pull: number; sha: string; message: string }[] = [];
  private nextId = 1000;

  constructor(fields: Partial<Pick<FakeGitHubPort, 'owner' | 'repo'>> & { pulls?: (MergeState & PullInfo)[] } = {}) {
    if (fields.owner) this.owner = fields.owner;
    if (fields.repo) this.repo = fields.repo;
    for (const p of fields.pulls ?? []) this.pulls.set(p.number, p);
  }

  get fullName(): string {
    return `${this.owner}/${this.repo}`;
  }

  /** Records a call and throws the failure set for it, if any. */
  private call(method: Method, ...args: unknown[]): void {
    this.calls.push({ method, args });
    const failure = this.failures[method];
    if (failure) throw failure;
  }

  /** The calls of one method, in order. */
  callsOf(method: Method): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  /** The comments posted on one issue or PR. */
  commentsOn(issue: number): string[] {
    return this.comments.filter((c) => c.issue === issue).map((c) => c.body);
  }

  private brief(p: MergeState): Omit<MergeState, 'mergeable' | 'mergeableState'> {
    const { number, headSha, headRef, baseRef, body, state, merged, draft } = p;
    return { number, headSha, headRef, baseRef, body, state, merged, draft };
  }

  private pull(number: number): MergeState & PullInfo {
    const p = this.pulls.get(number);
    if (!p) throw gitHubError(404, `pull #${number} not found`);
    return p;
  }

  installationToken = async (): Promise<string> => {
    this.call('installationToken');
    return this.token;
  };

  checks = {
    create: async (params: Record<string, unknown>): Promise<{ data: { id: number } }> => {
      this.call('checks.create', params);
      const id = this.nextId++;
      this.checkRuns.push({ id, params, updates: [] });
      return { data: { id } };
    },
    update: async (params: Record<string, unknown>): Promise<unknown> => {
      const run = this.checkRuns.find((r) => r.id === params['check_run_id']);
      if (!run) throw gitHubError(404, `check run ${String(params['check_run_id'])} not found`);
      run.updates.push(params);
      return {};
    },
  };

  getPull = async (number: number): Promise<PullInfo> => {
    this.call('getPull', number);
    const { number: n, headSha, baseRef, body, author, authorType, state } = this.pull(number);
    return { number: n, headSha, baseRef, body, author, authorType, state };
  };

  pullFilePages = (number: number): AsyncIterable<PullFile[]> => {
    this.call('pullFilePages', number);
    const files = this.pullFiles[number] ?? [];
    return (async function* () {
      for (let i = 0; i === 0 || i < files.length; i += 100) yield files.slice(i, i + 100);
    })();
  };

  pullCommits = async (number: number): Promise<PullCommit[]> => {
    this.call('pullCommits', number);
    return (this.commits[number] ?? []).slice(0, PULL_COMMITS_CAP);
  };

  pathExists = async (path: string, ref: string): Promise<boolean> => {
    this.call('pathExists', path, ref);
    return this.existingPaths.has(`${path}@${ref}`);
  };

  listOpenPulls = async (baseRef?: string): Promise<PullInfo[]> => {
    this.call('listOpenPulls', baseRef);
    return [...this.pulls.values()].filter((p) => p.state === 'open' && (!baseRef || p.baseRef === baseRef));
  };

  createComment = async (issue: number, body: string): Promise<number> => {
    this.call('createComment', issue, body);
    const id = this.nextId++;
    this.comments.push({ id, issue, body, author: this.botLogin, updates: 0 });
    return id;
  };

  updateComment = async (id: number, body: string): Promise<void> => {
    this.call('updateComment', id, body);
    const comment = this.comments.find((c) => c.id === id);
    if (!comment) throw gitHubError(404, `comment ${id} not found`);
    Object.assign(comment, { body, updates: comment.updates + 1 });
  };

  listComments = async (issue: number): Promise<{ id: number; body: string; author: string }[]> => {
    this.call('listComments', issue);
    return this.comments.filter((c) => c.issue === issue).map(({ id, body, author }) => ({ id, body, author }));
  };

  react = async (commentId: number, content: '+1' | '-1' | 'eyes' | 'confused' | 'rocket'): Promise<void> => {
    this.call('react', commentId, content);
    this.reactions.push({ commentId, content });
  };

  permission = async (login: string): Promise<string> => {
    this.call('permission', login);
    return this.permissions[login] ?? 'none';
  };

  issueStatus = async (number: number): Promise<IssueStatus> => {
    this.call('issueStatus', number);
    return this.issues[number] ?? 'missing';
  };

  isTeamMember = async (org: string, team: string, login: string): Promise<boolean> => {
    this.call('isTeamMember', org, team, login);
    return (this.teams[`${org}/${team}`] ?? []).includes(login);
  };

  mergeState = async (pull: number): Promise<MergeState> => {
    this.call('mergeState', pull);
    const p = this.pull(pull);
    return { ...this.brief(p), mergeable: p.mergeable, mergeableState: p.mergeableState };
  };

  openPulls = async (): Promise<Omit<MergeState, 'mergeable' | 'mergeableState'>[]> => {
    this.call('openPulls');
    return [...this.pulls.values()].filter((p) => p.state === 'open').map((p) => this.brief(p));
  };

  commitChecks = async (sha: string): Promise<CommitCheck[]> => {
    this.call('commitChecks', sha);
    return this.commitCheckRuns[sha] ?? [];
  };

  merge = async (pull: number, sha: string, message: string): Promise<MergeAnswer> => {
    this.call('merge', pull, sha, message);
    const p = this.pull(pull);
    // GitHub merges only at the expected head (409 otherwise, which the real MergeApi turns into an answer).
    if (p.headSha !== sha)
      return { merged: false, message: 'Head branch was modified. Review and try the merge again.' };
    this.merges.push({ pull, sha, message });
    if (this.mergeAnswer.merged) Object.assign(p, { state: 'closed', merged: true });
    return this.mergeAnswer;
  };

  repository = async (): Promise<{ defaultBranch: string; cloneUrl?: string }> => {
    this.call('repository');
    return { defaultBranch: this.defaultBranch, ...(this.cloneUrl ? { cloneUrl: this.cloneUrl } : {}) };
  };
}
