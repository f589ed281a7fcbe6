import type { SchemaEventSink } from '@aegis/events';
import type { Log } from '../log.js';
import type { RepoMirror } from '../mirror/repo-mirror.js';
import type { GitHubPort } from '../github.js';
import type { RepoInfo } from '../repo-info.js';

/** A push to a branch that publishes schema changes, as the webhook says it. */
export interface BranchPush {
  branch: string;
  /** The commit before the push; null for a new branch. */
  before: string | null;
  after: string;
  pusher?: string | undefined;
}

/**
 * Publishes a push's registry change as one `schema.changed` in the event outbox (docs/events.md): the mirror
 * fetches both ends, the bus diffs them (nothing when the registry did not change).
 */
export async function publishSchemaChanged(
  deps: { mirror: Pick<RepoMirror, 'sync'>; bus: NonNullable<SchemaEventSink['bus']> },
  scope: { gh: GitHubPort; repo: RepoInfo; log: Log },
  push: BranchPush,
): Promise<void> {
  const gitDir = await deps.mirror.sync(scope.repo.fullName, () => scope.gh.installationToken(), {
    cloneUrl: scope.repo.cloneUrl,
    want: push.before ? [push.before, push.after] : [push.after],
    branches: [push.branch],
  });
  const event = await deps.bus.publishSchemaChanged({
    repoDir: gitDir,
    repository: scope.repo.fullName,
    branch: push.branch,
    before: push.before,
    after: push.after,
    ...(push.pusher ? { pusher: push.pusher } : {}),
  });
  if (event) {
    const { id, data } = event;
    scope.log.info({ id, schemas: data.schemas.length, breaking: data.breaking }, 'schema.changed queued');
  }
}
