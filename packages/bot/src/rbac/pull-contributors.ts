import type { RbacActor } from '@aegis/core';
import { PULL_COMMITS_CAP } from '../github.js';
import type { PullCommit } from '../github.js';
import type { PullPush } from './pull-pushes.js';

/** Someone aegis/rbac judges for a pull request, and what they did to it. */
export interface Contributor {
  login: string;
  /** `opened the pull request`, `pushed abc1234`, `authored abc1234`, `committed abc1234`, in the order seen. */
  did: string[];
}

/** Everyone who contributed a pull request's change since the merge base, as far as GitHub and the bot can tell. */
export interface PullContributors {
  contributors: Contributor[];
  /** Commits whose author or committer no GitHub account has, each with whom it is judged as. */
  unmapped: string[];
  /** Why the list cannot be complete: aegis/rbac then fails closed, saying so. */
  incomplete?: string | undefined;
}

/** A contributor as RBAC sees them (teams, and the repository permission when no member entry names them). */
export interface JudgedContributor extends Contributor {
  actor: RbacActor;
}

/** What aegis/rbac judges: every contributor of the change, resolved under the default branch's policy. */
export interface ContributorFacts extends Omit<PullContributors, 'contributors'> {
  contributors: JudgedContributor[];
}

/** What the contributors are told from: the PR author, the recorded pushes, GitHub's list of the PR's commits. */
export interface ContributorSources {
  author: string;
  headSha: string;
  /** Every recorded push of the PR, oldest first (the delivery's own push included). */
  pushes: readonly PullPush[];
  /** GitHub's list of the PR's commits, oldest first (at most `PULL_COMMITS_CAP`). */
  commits: readonly PullCommit[];
}

/** GitHub's committer of the commits made in its web interface (their author is judged). */
export const WEB_COMMITTER = 'web-flow';

const short = (sha: string): string => sha.slice(0, 7);

/** Why GitHub's commit list cannot be the whole change, or undefined when it is. */
function incompleteList(commits: readonly PullCommit[], headSha: string): string | undefined {
  if (commits.length >= PULL_COMMITS_CAP)
    return `GitHub lists at most ${PULL_COMMITS_CAP} commits of a pull request and this one has ${commits.length} or more, so Aegis cannot see who wrote the rest: squash or split it.`;
  if (!commits.some((c) => c.sha === headSha))
    return `GitHub's list of this pull request's commits does not reach its head ${short(headSha)} (the branch moved since): the run for the newer head judges it.`;
  return undefined;
}

/** Who brought each commit: the first recorded push whose head reaches it through the commits' parents. */
function pushersOf(commits: readonly PullCommit[], pushes: readonly PullPush[]): Map<string, string> {
  const parents = new Map(commits.map((c) => [c.sha, c.parents]));
  const brought = new Map<string, string>();
  for (const push of pushes) {
    const todo = [push.headSha];
    for (let sha = todo.pop(); sha !== undefined; sha = todo.pop()) {
      if (brought.has(sha) || !parents.has(sha)) continue;
      brought.set(sha, push.login);
      todo.push(...(parents.get(sha) ?? []));
    }
  }
  return brought;
}

/** Contributors keyed case-insensitively (GitHub logins are), in the order first seen. */
class ContributorList {
  private readonly byLogin = new Map<string, Contributor>();

  add(login: string, did: string): void {
    const key = login.toLowerCase();
    const known = this.byLogin.get(key) ?? { login, did: [] };
    if (!known.did.includes(did)) known.did.push(did);
    this.byLogin.set(key, known);
  }

  get all(): Contributor[] {
    return [...this.byLogin.values()];
  }
}

/** Which of a commit's people no GitHub account has (the web interface's committer is GitHub itself). */
function unmappedPeople(c: PullCommit): string[] {
  const people: string[] = [];
  if (c.author === null) people.push(`author ${c.authorName || 'unnamed'}`);
  if (c.committer === null) people.push(`committer ${c.committerName || 'unnamed'}`);
  return people;
}

/**
 * Everyone aegis/rbac judges for a pull request (pure): its author; every recorded pusher whose pushed head is
 * still one of its commits; every commit author and committer GitHub mapped to an account (GitHub's web
 * committer aside). A commit whose author or committer has no GitHub account is judged as the pusher who
 * brought it, or as the PR author when no recorded push did (the author proposes every commit of the PR).
 */
export function pullContributors(from: ContributorSources): PullContributors {
  const { author, headSha, pushes, commits } = from;
  const incomplete = incompleteList(commits, headSha);
  const listed = new Set(commits.map((c) => c.sha));
  const list = new ContributorList();
  list.add(author, 'opened the pull request');
  for (const p of pushes) if (incomplete || listed.has(p.headSha)) list.add(p.login, `pushed ${short(p.headSha)}`);
  const brought = pushersOf(commits, pushes);
  const unmapped: string[] = [];
  for (const c of commits) {
    if (c.author !== null) list.add(c.author, `authored ${short(c.sha)}`);
    if (c.committer !== null && c.committer !== WEB_COMMITTER) list.add(c.committer, `committed ${short(c.sha)}`);
    const people = unmappedPeople(c);
    if (people.length === 0) continue;
    const pusher = brought.get(c.sha);
    const as = pusher
      ? `${pusher}, who pushed it`
      : `${author}, who opened the pull request (no recorded push brought it)`;
    unmapped.push(`${short(c.sha)}: no GitHub account has the email of its ${people.join(' and ')}; judged as ${as}`);
  }
  return { contributors: list.all, unmapped, ...(incomplete ? { incomplete } : {}) };
}
