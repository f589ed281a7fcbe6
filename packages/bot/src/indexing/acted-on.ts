import { ShadowNotFoundError } from '@aegis/freeze';
import type { ShadowService } from '@aegis/freeze';

/** Where an operation acts: the repository its caller is judged in, and the branch a refusal is recorded on. */
export interface ActedOn {
  repo: string | undefined;
  where?: { repo: string; branch: string };
}

/**
 * Where an operation acts, so the caller is judged there (a token's scope, that repository's policy): the
 * input's repository — or, for an operation naming a shadow build by id, the build's own repository and branch
 * (the message names no repository, and none it could name would be an authority over someone else's build).
 * Every transport asks this (the HTTP API, NATS).
 */
export async function actedOn(
  ops: { bot: { freeze: { shadow: Pick<ShadowService, 'status'> } }; defaultRepo?: string | undefined },
  input: unknown,
): Promise<ActedOn> {
  const i = input as { repo?: unknown; shadowId?: unknown };
  if (typeof i.shadowId === 'string') {
    const build = await ops.bot.freeze.shadow.status(i.shadowId).catch((error: unknown) => {
      if (error instanceof ShadowNotFoundError) return undefined; // the operation answers 404 itself
      throw error;
    });
    if (build) return { repo: build.repo, where: { repo: build.repo, branch: build.branch } };
  }
  return { repo: typeof i.repo === 'string' ? i.repo : ops.defaultRepo };
}
