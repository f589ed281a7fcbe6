import { DEFAULT_SCHEMA_DIR } from './git-ref-file-source.js';
import { NoSchemasError } from './errors.js';
import { normalizeSchemaDir, registryTreeId } from './registry-tree.js';
import { resolveCommit } from './resolve-commit.js';

/**
 * The registry's version hash at a ref: git's tree id of the registry folder. It changes exactly when some
 * file in the folder changes, whatever else the commit touches, so it serves as an ETag.
 */
export async function registryVersionHash(
  repoDir: string,
  ref: string,
  options: { schemaDir?: string } = {},
): Promise<string> {
  const commit = await resolveCommit(repoDir, ref);
  const dir = normalizeSchemaDir(options.schemaDir ?? DEFAULT_SCHEMA_DIR);
  const treeId = await registryTreeId(repoDir, commit, dir);
  if (!treeId) throw new NoSchemasError(ref, dir);
  return treeId;
}
