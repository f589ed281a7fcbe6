import { gitRefFileSource, isBranchName, registryDelta, registryVersionHash, UnknownVersionError } from '@aegis/git';
import { InvalidRequestError } from '@aegis/freeze';
import { repoAccess } from '../indexing/after-change.js';
import type { OperationContext } from '../indexing/index.js';
import { HttpError } from '../errors.js';

/** What the registry endpoint answers. */
export type RegistryAnswer =
  { status: 304; etag: string } | { status: 200; etag: string; body: RegistrySnapshot | RegistryDeltaBody };

/** The whole registry at a branch. */
export interface RegistrySnapshot {
  kind: 'full';
  ref: string;
  versionHash: string;
  files: { path: string; content: string }[];
}

/** What changed since the version hash a client holds (seed 004 phase 5). */
export interface RegistryDeltaBody {
  kind: 'delta';
  ref: string;
  since: string;
  versionHash: string;
  changed: { path: string; blobId: string; content: string }[];
  removed: string[];
}

async function readAll(gitDir: string, rev: string, paths?: string[]): Promise<{ path: string; content: string }[]> {
  const source = await gitRefFileSource(gitDir, rev);
  try {
    const list = paths ?? (await source.list());
    const out: { path: string; content: string }[] = [];
    for (const path of list) out.push({ path, content: Buffer.from(await source.read(path)).toString('utf8') });
    return out;
  } finally {
    source.close();
  }
}

/**
 * `GET /aegis/api/v1/registry?repo=&ref=&since=`: the registry of a branch (default: the default branch) with its version hash (the git
 * tree id of `.kiro/schemas`) as a strong ETag. `If-None-Match` with the current hash answers 304; `since`
 * answers only the files changed or removed since that hash (an unknown hash gets the full registry).
 */
export async function registryEndpoint(
  ops: OperationContext,
  repo: string,
  refParam: string | undefined,
  since: string | undefined,
  ifNoneMatch: string | undefined,
): Promise<RegistryAnswer> {
  const access = await repoAccess(ops, repo);
  if (!access) throw new HttpError(404, { error: 'NotFound', message: `the app is not installed on ${repo}` });
  const ref = refParam ?? access.info.defaultBranch;
  if (!isBranchName(ref)) throw new InvalidRequestError('ref is not a valid branch name');
  const gitDir = await ops.bot.mirror.sync(repo, () => access.gh.installationToken(), {
    ...(access.info.cloneUrl ? { cloneUrl: access.info.cloneUrl } : {}),
    branches: [ref],
  });
  const rev = `refs/heads/${ref}`;
  const versionHash = await registryVersionHash(gitDir, rev).catch((error: unknown) => {
    throw new InvalidRequestError(`no registry on ${ref}: ${(error as Error).message}`);
  });
  const etag = `"${versionHash}"`;
  if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag))
    return { status: 304, etag };
  if (since) {
    try {
      const delta = await registryDelta(gitDir, since, rev);
      if (delta.unchanged) return { status: 304, etag };
      const changed = await readAll(
        gitDir,
        rev,
        delta.changed.map((c) => c.path),
      );
      const blobs = new Map(delta.changed.map((c) => [c.path, c.blobId]));
      return {
        status: 200,
        etag,
        body: {
          kind: 'delta',
          ref,
          since,
          versionHash,
          changed: changed.map((c) => ({ ...c, blobId: blobs.get(c.path) ?? '' })),
          removed: delta.removed,
        },
      };
    } catch (error) {
      if (!(error instanceof UnknownVersionError)) throw error;
    }
  }
  return { status: 200, etag, body: { kind: 'full', ref, versionHash, files: await readAll(gitDir, rev) } };
}
