import type { FreezeService } from '@aegis/freeze';

/** A push to a pull request's branch as a delivery told it: who sent `opened`/`synchronize`, and the head it brought. */
export interface PullPush {
  login: string;
  headSha: string;
}

const setOf = (repo: string, pull: number): string => `pushers:${repo}#${pull}`;

/**
 * Records who pushed `push.headSha` to pull request `pull` (kept as long as the freeze store keeps a set: 180
 * days from the latest push), so later judgements of the PR include earlier pushers. True when it is new.
 */
export function recordPush(
  freeze: Pick<FreezeService, 'addMember'>,
  repo: string,
  pull: number,
  push: PullPush,
): Promise<boolean> {
  return freeze.addMember(setOf(repo, pull), `${push.headSha} ${push.login}`);
}

/** Every push recorded for pull request `pull`, oldest first. */
export async function recordedPushes(
  freeze: Pick<FreezeService, 'members'>,
  repo: string,
  pull: number,
): Promise<PullPush[]> {
  return (await freeze.members(setOf(repo, pull))).flatMap((m) => {
    const [headSha = '', login = ''] = m.split(' ');
    return headSha && login ? [{ login, headSha }] : [];
  });
}
