import type { RbacPolicy } from '@aegis/core';
import { pullContributors } from '../rbac/pull-contributors.js';
import type { ContributorFacts } from '../rbac/pull-contributors.js';
import { recordedPushes } from '../rbac/pull-pushes.js';
import type { PullPush } from '../rbac/pull-pushes.js';
import type { FactSources, GateTarget } from './gate-ports.js';

/** The recorded pushes, or why they could not be read (the state store down: the check fails closed). */
async function pushesOf(
  sources: Pick<FactSources, 'freeze'>,
  target: GateTarget,
): Promise<{ pushes: PullPush[]; unread?: string }> {
  const { repo, pull, pusher } = target;
  const own = pusher ? [{ login: pusher, headSha: pull.headSha }] : [];
  try {
    return { pushes: [...(await recordedPushes(sources.freeze, repo.fullName, pull.number)), ...own] };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const unread = `Who pushed to this pull request before could not be read from the state store (${message}): re-run this check once it answers.`;
    return { pushes: own, unread };
  }
}

/**
 * Everyone who contributed a PR's change since the merge base — its author, the recorded pushers (and this
 * delivery's), the commits' authors and committers GitHub mapped to accounts — each resolved as RBAC sees them.
 */
export async function readContributors(
  sources: Pick<FactSources, 'actors' | 'freeze'>,
  target: GateTarget,
  policy: RbacPolicy,
  owners: Iterable<string>,
): Promise<ContributorFacts> {
  const { gh, pull } = target;
  const [commits, { pushes, unread }] = await Promise.all([gh.pullCommits(pull.number), pushesOf(sources, target)]);
  const found = pullContributors({ author: pull.author, headSha: pull.headSha, pushes, commits });
  const ownerList = [...owners];
  const contributors = await Promise.all(
    found.contributors.map(async (c) => ({
      ...c,
      actor: await sources.actors.resolve(gh, c.login, policy, ownerList),
    })),
  );
  const incomplete = found.incomplete ?? unread;
  return { contributors, unmapped: found.unmapped, ...(incomplete ? { incomplete } : {}) };
}
