import type { RbacPolicy } from '@aegis/core';
import type { ApiIdentity } from '../api/api-tokens.js';
import type { GitHubPort } from '../github.js';
import type { RepoMirror } from '../mirror/repo-mirror.js';
import type { Principal } from './authorize.js';
import { servicePolicy, tokenPrincipal } from './authorize.js';
import { loadPolicy } from './load-policy.js';

/** Reads a repository's policy: `.kiro/rbac.yaml` on its default branch, or undefined when it cannot be reached. */
export type PolicyLoader = (repo: string) => Promise<RbacPolicy | undefined>;

/** What loading a policy through the mirror needs: GitHub for the repository (token, default branch) and the mirror. */
export interface MirrorPolicyDeps {
  github(
    repo: string,
  ): Promise<
    | { gh: Pick<GitHubPort, 'installationToken'>; info: { defaultBranch: string; cloneUrl?: string | undefined } }
    | undefined
  >;
  bot: { mirror: Pick<RepoMirror, 'sync'> };
}

/** The default branch's `.kiro/rbac.yaml` of a repository the app is installed on, through the mirror. */
export function mirrorPolicyLoader(deps: MirrorPolicyDeps): PolicyLoader {
  return async (repo) => {
    const access = await deps.github(repo);
    if (!access) return undefined;
    const { defaultBranch, cloneUrl } = access.info;
    const gitDir = await deps.bot.mirror.sync(repo, () => access.gh.installationToken(), {
      ...(cloneUrl ? { cloneUrl } : {}),
      branches: [defaultBranch],
    });
    return (await loadPolicy(gitDir, `refs/heads/${defaultBranch}`)).policy;
  };
}

/**
 * Repository policies for API callers, each read at most once per `ttlMs` (one mirror fetch a minute per
 * repository, not one per request). When a read fails the last policy read stands; with none, the built-in
 * service roles apply (what every token had before policies were read, so an outage widens nothing).
 */
export class RepoPolicies {
  private readonly cache = new Map<string, { at: number; policy: Promise<RbacPolicy | undefined> }>();
  private readonly lastGood = new Map<string, RbacPolicy | undefined>();

  constructor(
    private readonly load: PolicyLoader,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = 60_000,
    private readonly onError: (error: unknown, repo: string) => void = () => undefined,
  ) {}

  /** The policy of `repo` (undefined: none could be read; the built-in roles decide). */
  of(repo: string): Promise<RbacPolicy | undefined> {
    const key = repo.toLowerCase();
    const hit = this.cache.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.policy;
    const policy = this.load(repo).then(
      (p) => {
        this.lastGood.set(key, p);
        return p;
      },
      (error: unknown) => {
        this.onError(error, repo);
        this.cache.delete(key);
        return this.lastGood.get(key);
      },
    );
    this.cache.set(key, { at: this.now(), policy });
    return policy;
  }
}

/** Whether a token may act on `repo`: an unscoped token anywhere, a scoped one only on its repositories. */
export function tokenCovers(identity: Pick<ApiIdentity, 'repositories'>, repo: string | undefined): boolean {
  if (!identity.repositories) return true;
  return repo !== undefined && identity.repositories.some((r) => r.toLowerCase() === repo.toLowerCase());
}

/**
 * An API token holder as a principal in `repo`: its roles with the permissions `repo`'s policy gives them
 * (built-in ones for roles the policy lacks). A token scoped to other repositories holds no role here, so
 * every action is refused (403, audited) — as is any request that names no repository.
 */
export async function apiPrincipal(
  policies: Pick<RepoPolicies, 'of'>,
  identity: ApiIdentity,
  repo: string | undefined,
): Promise<Principal> {
  if (!tokenCovers(identity, repo)) return tokenPrincipal(identity.name, []);
  const policy = repo ? await policies.of(repo) : undefined;
  return tokenPrincipal(identity.name, identity.roles, servicePolicy(policy));
}
