import type { TestPull } from './webhooks.js';

/** One request the fake received, with whether it matched a known endpoint. */
export interface RecordedCall {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  status: number;
  expected: boolean;
  /** What made it unexpected (unknown endpoint, bad credentials), when it was. */
  problem?: string;
  /** Off GitHub's published REST description (route, request or the fake's own answer). */
  offContract?: boolean;
}

/** A GitHub check run as the fake stores it: the latest output plus every annotation ever sent. */
export interface FakeCheckRun {
  id: number;
  repo: string;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  title: string;
  summary: string;
  text: string | null;
  annotations: FakeAnnotation[];
  /** Annotation counts per request (GitHub accepts at most 50 per request). */
  annotationBatches: number[];
  externalId: string | null;
  /** The GitHub App that created the run (this app, or another such as GitHub Actions). */
  appId: number;
  startedAt: string;
  completedAt: string | null;
}

export interface FakeAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: string;
  message: string;
  title?: string;
  start_column?: number;
  end_column?: number;
}

export interface FakeComment {
  id: number;
  repo: string;
  issue: number;
  body: string;
  user: string;
  updates: number;
}

/** A repository the fake serves, with the settings GitHub answers about it. */
export interface FakeRepo {
  gitDir: string;
  defaultBranch: string;
  /** The merge methods the repository allows (GitHub's `allow_*_merge` settings; default: all three). */
  mergeMethods: Set<'merge' | 'squash' | 'rebase'>;
  /** Issues turned off in the repository's settings: every issue route answers 410. */
  issuesDisabled: boolean;
}

/** An issue as GitHub knows it (a pull request is an issue too). */
export interface FakeIssue {
  state: 'open' | 'closed';
  locked: boolean;
  title: string;
}

/** The five base roles and the permission GitHub reports for each (`maintain` → write, `triage` → read). */
export const BASE_ROLES: Record<string, string> = {
  admin: 'admin',
  maintain: 'write',
  write: 'write',
  triage: 'read',
  read: 'read',
  none: 'none',
};

/** The world the fake serves: repos, pulls, people, teams, and everything the app wrote. */
export class FakeGitHubState {
  readonly repos = new Map<string, FakeRepo>();
  readonly pulls = new Map<string, TestPull>();
  /** Each person's role on the repositories: a base role or a custom one (see `customRoles`). */
  readonly permissions = new Map<string, string>();
  /** Custom repository roles by name, with the base role each inherits (`schema-editor` → `write`). */
  readonly customRoles = new Map<string, string>();
  /** Logins the collaborator-permission endpoint answers 404 for (GitHub does so for some accounts). */
  readonly permissionNotFound = new Set<string>();
  readonly teams = new Map<string, Set<string>>();
  /**
   * Verified emails of accounts, lower-cased → login: GitHub maps a commit's author and committer to the account
   * whose verified email they carry; an email no account has leaves `author`/`committer` null.
   */
  readonly emails = new Map<string, string>();
  /**
   * Issues by `owner/name#number`. A number not listed is an open issue (today's scenarios link issues they
   * never create); `removeIssue` makes one answer 404, as a deleted or mistyped issue does.
   */
  readonly issues = new Map<string, FakeIssue | 'missing'>();
  readonly checkRuns: FakeCheckRun[] = [];
  readonly comments: FakeComment[] = [];
  readonly reactions: { repo: string; commentId: number; content: string }[] = [];
  /** Installation tokens issued (`tokenExpiry` says when each expires; a token without one never does). */
  readonly tokens = new Set<string>();
  readonly tokenExpiry = new Map<string, number>();
  /** The installation each token was issued for. */
  readonly tokenInstallation = new Map<string, string>();
  /** The id of the app under test (its check runs carry it; others' do not). */
  appId = 0;
  /** How long a new installation token lives (GitHub: one hour). */
  tokenLifetimeMs = 3600_000;
  private nextId = 1000;

  id(): number {
    return this.nextId++;
  }

  /** Whether `token` is an installation token this fake issued that has not expired. */
  validToken(token: string): boolean {
    return this.tokens.has(token) && (this.tokenExpiry.get(token) ?? Infinity) > Date.now();
  }

  /** The installation a token was issued for (a token the test added itself is its own). */
  installationOf(token: string): string {
    return this.tokenInstallation.get(token) ?? token;
  }

  /** Makes every token issued so far expire now (time passing, or GitHub revoking them). */
  expireTokens(): void {
    for (const token of this.tokens) this.tokenExpiry.set(token, Date.now() - 1);
  }

  /** The issue `number` of `repo`, 'missing' (404) or 'disabled' (410: issues are turned off). */
  issue(repo: string, number: number): FakeIssue | 'missing' | 'disabled' {
    if (this.repos.get(repo)?.issuesDisabled) return 'disabled';
    return this.issues.get(`${repo}#${number}`) ?? { state: 'open', locked: false, title: `Issue ${number}` };
  }

  /** Makes issue `number` answer 404 (deleted, transferred or never created). */
  removeIssue(repo: string, number: number): void {
    this.issues.set(`${repo}#${number}`, 'missing');
  }

  /** Locks the conversation of issue `number`: comments by the app are refused with 403. */
  lockIssue(repo: string, number: number): void {
    this.issues.set(`${repo}#${number}`, { state: 'open', locked: true, title: `Issue ${number}` });
  }

  /** Adds or replaces a pull request. */
  setPull(repo: string, pull: TestPull): void {
    this.pulls.set(`${repo}#${pull.number}`, pull);
  }

  pull(repo: string, number: number): TestPull | undefined {
    return this.pulls.get(`${repo}#${number}`);
  }

  /** The latest check run of `name` for `headSha` by `appId` (any app when omitted). */
  latestCheck(name: string, headSha?: string, appId?: number): FakeCheckRun | undefined {
    return this.checkRuns
      .filter((c) => c.name === name && (!headSha || c.headSha === headSha) && (!appId || c.appId === appId))
      .at(-1);
  }

  /** A check run another app (say, a GitHub Actions job named like ours) completed on `headSha`. */
  addForeignCheckRun(run: { repo: string; name: string; headSha: string; conclusion: string; appId: number }) {
    const now = new Date().toISOString();
    const created: FakeCheckRun = {
      ...run,
      id: this.id(),
      status: 'completed',
      title: run.name,
      summary: '',
      text: null,
      annotations: [],
      annotationBatches: [],
      externalId: null,
      startedAt: now,
      completedAt: now,
    };
    this.checkRuns.push(created);
    return created;
  }

  /** A comment a human (or another bot) wrote, as if through the GitHub UI. */
  addHumanComment(repo: string, issue: number, user: string, body: string): FakeComment {
    const comment = { id: this.id(), repo, issue, body, user, updates: 0 };
    this.comments.push(comment);
    return comment;
  }
}
