import { UnknownVersionError } from './errors.js';
import { DEFAULT_SCHEMA_DIR } from './git-ref-file-source.js';
import { normalizeSchemaDir } from './registry-tree.js';
import { parseRawDiff, type ChangedFile } from './parse-raw-diff.js';
import { registryVersionHash } from './registry-version-hash.js';
import { runGit, runGitOk } from './run-git.js';

/** What changed in the registry since a known version hash: the basis of ETag / delta responses. */
export interface RegistryDelta {
  /** The version hash the client had. */
  since: string;
  /** The version hash at the ref now (the new ETag). */
  versionHash: string;
  /** True when nothing changed (answer 304 Not Modified). */
  unchanged: boolean;
  /** Files added or modified (renamed files appear here under their new path, and in `removed` under the old). */
  changed: { path: string; blobId: string }[];
  /** Paths that no longer exist. */
  removed: string[];
  /** The raw changes, renames kept as such. */
  changes: ChangedFile[];
}

/**
 * The registry files changed or removed since the registry tree `sinceHash` up to `ref`. The hash need not
 * be on the ref's history: any tree this repository holds can be compared. An unknown hash throws
 * `UnknownVersionError` (answer with the whole registry).
 */
export async function registryDelta(
  repoDir: string,
  sinceHash: string,
  ref: string,
  options: { schemaDir?: string } = {},
): Promise<RegistryDelta> {
  const dir = normalizeSchemaDir(options.schemaDir ?? DEFAULT_SCHEMA_DIR);
  const versionHash = await registryVersionHash(repoDir, ref, { schemaDir: dir });
  if (!/^[0-9a-f]{40,64}$/i.test(sinceHash)) throw new UnknownVersionError(sinceHash);
  if (sinceHash === versionHash)
    return { since: sinceHash, versionHash, unchanged: true, changed: [], removed: [], changes: [] };
  const type = await runGit(repoDir, ['cat-file', '-t', sinceHash]);
  if (type.code !== 0 || type.stdout.toString('utf8').trim() !== 'tree') throw new UnknownVersionError(sinceHash);
  const args = ['diff-tree', '-r', '-z', '-M', '--no-abbrev', sinceHash, versionHash];
  const changes = parseRawDiff((await runGitOk(repoDir, args)).toString('utf8'), `${dir}/`);
  const changed: { path: string; blobId: string }[] = [];
  const removed: string[] = [];
  for (const change of changes) {
    if (change.blobId) changed.push({ path: change.path, blobId: change.blobId });
    if (change.status === 'removed') removed.push(change.path);
    if (change.status === 'renamed' && change.oldPath) removed.push(change.oldPath);
  }
  return { since: sinceHash, versionHash, unchanged: changes.length === 0, changed, removed: removed.sort(), changes };
}
