import type { FileSource } from '@aegis/core';
import { CatFileBatch, ObjectMissing } from './cat-file-batch.js';
import { GitRegistryError, MissingObjectError } from './errors.js';
import { listRegistryTree, type RegistryEntry } from './list-registry-tree.js';
import { isShallow, resolveCommit } from './resolve-commit.js';

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
 * Opening costs two git processes (`rev-parse`, `ls-tree`); all reads share one `git cat-file --batch`,
 * so the number of processes does not grow with the number of files. Paths are listed from the
 * repository root (`.kiro/schemas/users.yaml`), as diagnostics print them.
 *
 * @throws NotARepositoryError, BadRefError, NoSchemasError, MissingObjectError (shallow clone)
 */
export async function gitRefFileSource(repoDir: string, ref: string, options: GitRefFileSourceOptions = {}): Promise<GitRefFileSource> {
  const commit = await resolveCommit(repoDir, ref);
  const tree = await listRegistryTree(repoDir, commit, options.schemaDir ?? DEFAULT_SCHEMA_DIR, ref).catch(async (error: unknown) => {
    // A shallow clone can know the commit but not its tree.
    if (error instanceof GitRegistryError && error.kind === 'git-failed' && (await isShallow(repoDir))) {
      throw new MissingObjectError(`${ref} (${commit.slice(0, 12)})`, true);
    }
    throw error;
  });
  const byPath = new Map(tree.entries.map((entry) => [entry.path, entry]));
  const batch = new CatFileBatch(repoDir);

  const read = async (path: string): Promise<Uint8Array> => {
    const entry = byPath.get(path);
    if (!entry) throw new GitRegistryError('git-failed', `${path}: not a file of ${tree.entries.length ? 'the registry' : 'an empty registry'} at ${ref}`);
    try {
      return await batch.read(entry.blobId);
    } catch (error) {
      if (error instanceof ObjectMissing) throw new MissingObjectError(`${path} at ${ref}`, await isShallow(repoDir));
      throw error;
    }
  };

  return {
    ref,
    commit,
    treeId: tree.treeId,
    entries: tree.entries,
    list: async () => tree.entries.map((entry) => entry.path),
    read,
    readMany: (paths) => Promise.all(paths.map(read)),
    blobId: (path) => byPath.get(path)?.blobId,
    close: () => batch.close(),
  };
}
