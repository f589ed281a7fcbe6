import type { GitHubPort } from '../github.js';
import type { RepoMirror } from '../mirror/repo-mirror.js';
import type { Principal } from './authorize.js';
import { userPrincipal } from './authorize.js';
import { loadPolicy } from './load-policy.js';
import type { ActorResolver } from './resolve-actor.js';

/** What resolving a GitHub user needs: the mirror (for the policy) and the actor resolver (for GitHub). */
export interface PrincipalDeps {
  mirror: Pick<RepoMirror, 'sync'>;
  actors: Pick<ActorResolver, 'resolve'>;
}

/** A repository as far as its policy is concerned. */
export interface PolicyRepo {
  fullName: string;
  defaultBranch: string;
  cloneUrl?: string | undefined;
}

/**
 * A GitHub user as a principal: `.kiro/rbac.yaml` of the DEFAULT branch (never a PR head) and the user's
 * teams and repository permission. One mirror fetch, then cached GitHub answers.
 */
export async function resolvePrincipal(
  deps: PrincipalDeps,
  gh: GitHubPort,
  repo: PolicyRepo,
  login: string,
): Promise<Principal> {
  const gitDir = await deps.mirror.sync(repo.fullName, () => gh.installationToken(), {
    ...(repo.cloneUrl ? { cloneUrl: repo.cloneUrl } : {}),
    branches: [repo.defaultBranch],
  });
  const { policy } = await loadPolicy(gitDir, `refs/heads/${repo.defaultBranch}`);
  return userPrincipal(policy, await deps.actors.resolve(gh, login, policy));
}
