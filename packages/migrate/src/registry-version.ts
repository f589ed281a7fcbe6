import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  buildRegistry,
  isRegistryFile,
  loadFile,
  loadRegistry,
  memoryFileSource,
  validateRegistry,
  type LoadedFile,
  type Registry,
} from '@aegis/core';
import { DEFAULT_SCHEMA_DIR, GitRegistryError, gitRefFileSource } from '@aegis/git';
import { MigrateError } from './errors.js';
import { HISTORY_TABLES } from './history-table.js';

/** A registry at one version: what the plan is made from and what the history stores. */
export interface RegistryVersion {
  registry: Registry;
  /** The registry's files, path → text (stored in the history, so the next plan needs no git history). */
  files: Record<string, string>;
  /** The registry's version hash (git's tree id of the registry folder). */
  versionHash: string;
  commit?: string;
  /** The ref as the user named it. */
  ref?: string;
}

/**
 * A version from files already in hand (the history table, generated registries). Files whose text equals
 * the same path in `reuse` take its parsed form instead of parsing again: the base of a 50-file change to a
 * 500-file registry parses 50 files, not 500.
 */
export async function registryVersionFromFiles(
  files: Record<string, string>,
  about: Omit<RegistryVersion, 'registry' | 'files'>,
  reuse?: RegistryVersion,
): Promise<RegistryVersion> {
  if (!reuse) return { registry: await loadRegistry(memoryFileSource(files)), files, ...about };
  const loaded: LoadedFile[] = [];
  for (const [path, text] of Object.entries(files)) {
    if (!isRegistryFile(path)) continue;
    const same = reuse.files[path] === text ? reuse.registry.files.get(path) : undefined;
    loaded.push(same ?? loadFile(path, text));
  }
  return { registry: buildRegistry(loaded), files, ...about };
}

const run = promisify(execFile);

/** The top of the working tree that holds `dir`. */
async function repositoryTop(dir: string): Promise<string> {
  try {
    const { stdout } = await run('git', ['rev-parse', '--show-toplevel'], { cwd: dir });
    return stdout.trim();
  } catch {
    throw new MigrateError(
      'registry',
      `${dir}: not inside a git working tree. Run aegis migrate inside the repository that holds the registry.`,
    );
  }
}

/**
 * The registry at a ref of the git repository that holds `dir`, read from git's objects (no checkout).
 * Git problems (bad ref, no registry folder, shallow clone) become one-line `MigrateError`s.
 */
export async function loadRegistryVersion(
  dir: string,
  ref: string,
  options: { schemaDir?: string } = {},
): Promise<RegistryVersion> {
  const root = await repositoryTop(dir);
  try {
    const source = await gitRefFileSource(root, ref, { schemaDir: options.schemaDir ?? DEFAULT_SCHEMA_DIR });
    try {
      const paths = await source.list();
      const contents = await source.readMany(paths);
      const decoder = new TextDecoder();
      const files: Record<string, string> = {};
      paths.forEach((path, i) => (files[path] = decoder.decode(contents[i])));
      return await registryVersionFromFiles(files, { versionHash: source.treeId, commit: source.commit, ref });
    } finally {
      source.close();
    }
  } catch (error) {
    if (error instanceof GitRegistryError) throw new MigrateError('registry', error.message);
    throw error;
  }
}

/** Refuses a registry with validation errors: SQL made from it would be wrong or would not run. */
export function assertValid(version: RegistryVersion): void {
  const taken = HISTORY_TABLES.find((name) => version.registry.schemas.has(name));
  if (taken)
    throw new MigrateError(
      'validation',
      `${version.ref ?? version.versionHash} declares a schema named ${taken}, the table aegis keeps its migration history in. Rename the schema.`,
    );
  const errors = [...validateRegistry(version.registry).values()].flat().filter((d) => d.severity === 'error');
  if (errors.length === 0) return;
  const first = errors[0];
  const where = first ? ` (first: ${first.file}:${first.range.start.line + 1}: ${first.message})` : '';
  throw new MigrateError(
    'validation',
    `${version.ref ?? version.versionHash} has ${errors.length} validation error${errors.length === 1 ? '' : 's'}${where}. Run aegis validate and fix them before migrating.`,
  );
}
