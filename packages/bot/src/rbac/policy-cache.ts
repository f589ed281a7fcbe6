import type { RbacPolicy } from '@aegis/core';
import type { GitHubPort } from '../github.js';
import type { RepoMirror } from '../mirror/repo-mirror.js';
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

/** How long a repository's policy is served before it is read again. */
export const POLICY_TTL_MS = 60_000;

/**
 * Repository policies for the callers judged by roles (API tokens, the NATS bus identity), each read at most
 * once per `ttlMs` whoever asks (one mirror fetch a minute per repository, not one per request). When a read
 * fails the last policy read stands; with none, the built-in service roles apply (what every token had before
 * policies were read, so an outage widens nothing).
 */
export class PolicyCache {
  private readonly cache = new Map<string, { at: number; policy: Promise<RbacPolicy | undefined> }>();
  private readonly lastGood = new Map<string, RbacPolicy | undefined>();

  constructor(
    private readonly load: PolicyLoader,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = POLICY_TTL_MS,
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

/**
 * The app's one policy cache: each repository's default-branch policy through the mirror, shared by the HTTP
 * API and the NATS bus, an unreadable policy logged.
 */
export function mirrorPolicyCache(
  deps: MirrorPolicyDeps,
  log?: { warn(obj: unknown, msg?: string): void },
): PolicyCache {
  return new PolicyCache(mirrorPolicyLoader(deps), Date.now, POLICY_TTL_MS, (err, repo) =>
    log?.warn({ err, repo }, 'repository policy unreadable: the last one read (or the built-in roles) apply'),
  );
}
