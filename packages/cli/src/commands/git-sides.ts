import { buildRegistry, loadRegistry, type Registry } from '@aegis/core';
import { DEFAULT_SCHEMA_DIR, GitRegistryError, loadRegistryAtRef } from '@aegis/git';
import { UsageError } from '../command.js';
import { diskFileSource } from '../disk-file-source.js';

/** One side of a comparison: its registry and how to name it to the user. */
export interface Side {
  registry: Registry;
  /** `main`, `HEAD~1 (3f2a9c1d2e4b)`, `working tree`. */
  label: string;
  commit?: string;
  versionHash?: string;
}

/** The registry at a ref of the repository at `root`. */
export async function refSide(root: string, ref: string, schemaDir = DEFAULT_SCHEMA_DIR): Promise<Side> {
  const { registry, source } = await loadRegistryAtRef(root, ref, { schemaDir });
  return { registry, label: ref, commit: source.commit, versionHash: source.treeId };
}

/**
 * The base side, where a ref without a registry folder counts as an empty registry: a branch that
 * introduces `.kiro/schemas` compares against nothing rather than failing.
 */
export async function baseSide(root: string, ref: string, schemaDir = DEFAULT_SCHEMA_DIR): Promise<Side> {
  try {
    return await refSide(root, ref, schemaDir);
  } catch (error) {
    if (error instanceof GitRegistryError && error.kind === 'no-schemas')
      return { registry: buildRegistry([]), label: `${ref} (no ${schemaDir})` };
    throw error;
  }
}

/** The registry folder of the working tree, listed from the repository root as git lists it. */
export async function workingTreeSide(root: string, schemaDir = DEFAULT_SCHEMA_DIR): Promise<Side> {
  const source = await diskFileSource(schemaDir, root);
  return { registry: await loadRegistry(source), label: 'working tree' };
}

/**
 * Refuses a side with files that could not be read as YAML at all (binary, over the size limit, broken
 * syntax): comparing it would report their schemas as removed. Exit 2 with the first such file named;
 * `aegis check` and `aegis validate` report them as diagnostics instead.
 */
export function requireReadable(side: Side): Side {
  for (const [file, loaded] of side.registry.files) {
    if (loaded.kind !== 'schema' || loaded.schema) continue;
    const problem = loaded.diagnostics.find((d) => d.code === 'yaml-limit' || d.code === 'yaml-syntax');
    if (problem) {
      throw new UsageError(
        `${file} at ${side.label} cannot be read: ${problem.message}. Fix or remove the file (aegis check shows every problem).`,
      );
    }
  }
  return side;
}

/** Loads two sides at once; when both fail, the first one's error is the one reported (deterministic). */
export async function bothSides(first: Promise<Side>, second: Promise<Side>): Promise<[Side, Side]> {
  const [a, b] = await Promise.allSettled([first, second]);
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return [a.value, b.value];
}
