import type { FileSource } from '@aegis/core';
import { CatFileBatch, ObjectMissing } from './cat-file-batch.js';
import { BadRefError, GitRegistryError, MissingObjectError } from './errors.js';
import { readRegistryTree } from './read-registry-tree.js';
import type { RegistryEntry, RegistryTree } from './registry-tree.js';
import { isShallow } from './resolve-commit.js';

/** Where the registry lives in a repository unless told otherwise. */
export const DEFAULT_SCHEMA_DIR = '.kiro/schemas';

export interface GitRefFileSourceOptions {
  /** The registry folder, from the repository root (default `.kiro/schemas`). */
  schemaDir?: string;
}

/** A `FileSource` over the registry at one commit, plus what git knows about it. */
export interface GitRefFileSource extends FileSource {
  /** The ref as asked for. */
  readonly ref: string;
  /** The full SHA it resolved to. */
  readonly commit: string;
  /** The tree id of the registry folder at that commit: the registry's version hash. */
  readonly treeId: string;
  /** Every file with its blob id and size, sorted by path. */
  readonly entries: readonly RegistryEntry[];
  /** The blob id of a listed file (cache parsed files by it), or undefined. */
  blobId(path: string): string | undefined;
  /** Reads many files at once (one batch); same order as `paths`. */
  readMany(paths: readonly string[]): Promise<Uint8Array[]>;
  /** Ends the background `git cat-file` process now instead of after a moment idle. */
  close(): void;
}

/**
 * The registry at any branch, tag or SHA, read straight from git's object store without a checkout.
 * One `git cat-file --batch` process does everything: it resolves the ref, lists the folder's trees and
 * reads the files, so the number of processes does not grow with the number of files (one per source).
 * Paths are listed from the repository root (`.kiro/schemas/users.yaml`), as diagnostics print them.
 *
 * @throws NotARepositoryError, BadRefError, NoSchemasError, MissingObjectError (shallow clone)
 */
export async function gitRefFileSource(
  repoDir: string,
  ref: string,
  options: GitRefFileSourceOptions = {},
): Promise<GitRefFileSource> {
  if (ref === '' || ref.startsWith('-')) throw new BadRefError(ref);
  const batch = new CatFileBatch(repoDir);
  let tree: RegistryTree;
  try {
    const commit = await batch.object(`${ref}^{commit}`).catch(async (error: unknown) => {
      // Unknown to git: a typo, or (in a shallow clone) history that was not fetched.
      if (error instanceof ObjectMissing)
        throw (await isShallow(repoDir)) ? new MissingObjectError(ref, true) : new BadRefError(ref);
      throw error;
    });
    tree = await readRegistryTree(batch, commit, options.schemaDir ?? DEFAULT_SCHEMA_DIR, ref);
  } catch (error) {
    batch.close();
    throw error;
  }
  const byPath = new Map(tree.entries.map((entry) => [entry.path, entry]));

  const blobOf = (path: string): string => {
    const entry = byPath.get(path);
    if (!entry) throw new GitRegistryError('git-failed', `${path}: not a file of the registry at ${ref}`);
    return entry.blobId;
  };
  const missing = async (error: unknown, paths: readonly string[]): Promise<never> => {
    if (!(error instanceof ObjectMissing)) throw error;
    const path = paths.find((p) => byPath.get(p)?.blobId === error.spec) ?? error.spec;
    throw new MissingObjectError(`${path} at ${ref}`, await isShallow(repoDir));
  };
  const read = async (path: string): Promise<Uint8Array> =>
    batch.read(blobOf(path)).catch((error: unknown) => missing(error, [path]));
  const readMany = async (paths: readonly string[]): Promise<Uint8Array[]> => {
    const objects = await batch.objects(paths.map(blobOf)).catch((error: unknown) => missing(error, paths));
    return objects.map((o) => o.content);
  };

  return {
    ref,
    commit: tree.commit,
    treeId: tree.treeId,
    entries: tree.entries,
    list: async () => tree.entries.map((entry) => entry.path),
    read,
    readMany,
    blobId: (path) => byPath.get(path)?.blobId,
    close: () => batch.close(),
  };
}
