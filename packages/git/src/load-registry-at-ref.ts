import { loadRegistry, type LoadLimits, type Registry } from '@aegis/core';
import { gitRefFileSource, type GitRefFileSource, type GitRefFileSourceOptions } from './git-ref-file-source.js';
import { runGit } from './run-git.js';
import { NotARepositoryError } from './errors.js';

/** A registry loaded from a ref, with the source it came from (commit, version hash, blob ids). */
export interface RegistryAtRef {
  registry: Registry;
  source: GitRefFileSource;
}

/**
 * Loads the registry at a ref through `gitRefFileSource` and core's `loadRegistry`, then ends the
 * background git process. Limits (file size, aliases, depth) are core's: a huge or binary file becomes a
 * diagnostic on that file, never a crash.
 */
export async function loadRegistryAtRef(
  repoDir: string,
  ref: string,
  options: GitRefFileSourceOptions & { limits?: Partial<LoadLimits> } = {},
): Promise<RegistryAtRef> {
  const source = await gitRefFileSource(repoDir, ref, options);
  try {
    return { registry: await loadRegistry(source, { limits: options.limits }), source };
  } finally {
    source.close();
  }
}

/** The root of the working tree that holds `dir` (`git rev-parse --show-toplevel`). */
export async function repositoryRoot(dir: string): Promise<string> {
  const result = await runGit(dir, ['rev-parse', '--show-toplevel']);
  const root = result.stdout.toString('utf8').trim();
  if (result.code !== 0 || root === '')
    throw new NotARepositoryError(
      dir,
      result.stderr.includes('bare') ? 'a bare repository has no working tree' : 'not a git repository',
    );
  return root;
}
