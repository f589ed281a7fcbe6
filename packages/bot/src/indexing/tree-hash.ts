import { registryVersionHash } from '@aegis/git';
import { InvalidRequestError } from '@aegis/freeze';
import type { RepoMirror } from '../mirror/repo-mirror.js';
import { repoAccess } from './after-change.js';
import type { RepoReach } from './after-change.js';

/** What reading a registry tree hash needs: GitHub for the repository (its token) and the mirror. */
export interface TreeHashReach extends RepoReach {
  bot: { mirror: Pick<RepoMirror, 'sync'> };
}

/**
 * The registry tree hash (git tree id of `.kiro/schemas`) at a commit or a branch head, read from the
 * bot's mirror after a fetch — the hash a shadow build is made from and INTEGRITY_CHECK compares.
 */
export async function treeHashAt(
  ops: TreeHashReach,
  repo: string,
  rev: { branch?: string; commit?: string },
): Promise<string> {
  const access = await repoAccess(ops, repo);
  if (!access) throw new InvalidRequestError(`cannot read ${repo} (no installation): pass treeHash explicitly`);
  const gitDir = await ops.bot.mirror.sync(repo, () => access.gh.installationToken(), {
    ...(access.info.cloneUrl ? { cloneUrl: access.info.cloneUrl } : {}),
    ...(rev.commit ? { want: [rev.commit] } : {}),
    branches: [rev.branch ?? access.info.defaultBranch],
  });
  const ref = rev.commit ?? `refs/heads/${rev.branch ?? access.info.defaultBranch}`;
  try {
    return await registryVersionHash(gitDir, ref);
  } catch (error) {
    throw new InvalidRequestError(`no registry at ${rev.commit ?? rev.branch}: ${(error as Error).message}`);
  }
}
