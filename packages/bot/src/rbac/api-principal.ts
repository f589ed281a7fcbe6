import type { ApiIdentity } from '../api/api-tokens.js';
import type { Principal } from './authorize.js';
import { servicePolicy, tokenPrincipal } from './authorize.js';
import type { PolicyCache } from './policy-cache.js';

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
  policies: Pick<PolicyCache, 'of'>,
  identity: ApiIdentity,
  repo: string | undefined,
): Promise<Principal> {
  if (!tokenCovers(identity, repo)) return tokenPrincipal(identity.name, []);
  const policy = repo ? await policies.of(repo) : undefined;
  return tokenPrincipal(identity.name, identity.roles, servicePolicy(policy));
}
