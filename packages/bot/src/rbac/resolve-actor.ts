import type { RbacActor, RbacPolicy, RepoPermission } from '@aegis/core';
import type { GitHubPort } from '../github.js';

const PERMISSIONS = new Set(['admin', 'maintain', 'write', 'triage', 'read', 'none']);

/**
 * Finds who an actor is for RBAC: the policy teams they belong to and, only when no `members` entry names
 * them, their repository permission. Answers are cached for `ttlMs` (GitHub's own caches are of that order),
 * so a busy PR costs these calls once, not per event.
 */
export class ActorResolver {
  private readonly cache = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs = 60_000,
  ) {}

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value as Promise<T>;
    const value = load();
    this.cache.set(key, { at: this.now(), value });
    value.catch(() => this.cache.delete(key));
    return value;
  }

  /** The actor with the teams that matter to `policy` (members and the owners of `owners`). */
  async resolve(gh: GitHubPort, login: string, policy: RbacPolicy, owners: Iterable<string> = []): Promise<RbacActor> {
    const subjects = new Set(policy.members.map((m) => m.subject));
    for (const o of owners) for (const w of policy.owners.get(o)?.writers ?? []) subjects.add(w);
    const teamSlugs = [...subjects].filter((s) => s.startsWith('@')).map((s) => s.slice(1));
    const memberships = await Promise.all(
      teamSlugs.map(async (slug) => {
        const [org = '', team = ''] = slug.split('/');
        const key = `team:${slug.toLowerCase()}:${login.toLowerCase()}`;
        return (await this.cached(key, () => gh.isTeamMember(org, team, login))) ? slug : undefined;
      }),
    );
    const teams = memberships.filter((t): t is string => t !== undefined);
    const listed = policy.members.some(
      (m) =>
        m.subject.toLowerCase() === login.toLowerCase() ||
        teams.some((t) => `@${t}`.toLowerCase() === m.subject.toLowerCase()),
    );
    if (listed) return { login, teams };
    const raw = await this.cached(`perm:${gh.fullName}:${login.toLowerCase()}`, () => gh.permission(login));
    const repoPermission = (PERMISSIONS.has(raw) ? raw : 'none') as RepoPermission;
    return { login, teams, repoPermission };
  }
}
