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

/** The world the fake serves: repos, pulls, people, teams, and everything the app wrote. */
export class FakeGitHubState {
  readonly repos = new Map<string, { gitDir: string; defaultBranch: string }>();
  readonly pulls = new Map<string, TestPull>();
  readonly permissions = new Map<string, string>();
  readonly teams = new Map<string, Set<string>>();
  readonly checkRuns: FakeCheckRun[] = [];
  readonly comments: FakeComment[] = [];
  readonly reactions: { repo: string; commentId: number; content: string }[] = [];
  readonly tokens = new Set<string>();
  private nextId = 1000;

  id(): number {
    return this.nextId++;
  }

  /** Adds or replaces a pull request. */
  setPull(repo: string, pull: TestPull): void {
    this.pulls.set(`${repo}#${pull.number}`, pull);
  }

  pull(repo: string, number: number): TestPull | undefined {
    return this.pulls.get(`${repo}#${number}`);
  }

  /** The latest check run of `name` for `headSha` (what a PR page shows). */
  latestCheck(name: string, headSha?: string): FakeCheckRun | undefined {
    return this.checkRuns.filter((c) => c.name === name && (!headSha || c.headSha === headSha)).at(-1);
  }

  /** A comment a human (or another bot) wrote, as if through the GitHub UI. */
  addHumanComment(repo: string, issue: number, user: string, body: string): FakeComment {
    const comment = { id: this.id(), repo, issue, body, user, updates: 0 };
    this.comments.push(comment);
    return comment;
  }
}
