import { isRegistryFile, loadRegistry, type Registry } from '@aegis/core';
import { UsageError } from './command.js';
import { diskFileSource } from './disk-file-source.js';

/** The schema folder every command reads unless told otherwise. */
export const DEFAULT_SCHEMA_DIR = '.kiro/schemas';

/**
 * Loads the registry in `dir` (relative to `cwd`) and refuses a folder that holds no schema file, since
 * "0 errors" about nothing would read as a pass.
 */
export async function loadRegistryFromDisk(dir: string | undefined, cwd: string): Promise<Registry> {
  const folder = dir ?? DEFAULT_SCHEMA_DIR;
  const source = await diskFileSource(folder, cwd);
  const files = await source.list();
  if (!files.some(isRegistryFile)) {
    throw new UsageError(
      `${folder}: no schema files (*.yaml) in this folder. Add one file per table, e.g. ${folder}/users.yaml`,
    );
  }
  return loadRegistry(source);
}

/** Resolves a schema name given on the command line, with a did-you-mean when it is unknown. */
export function requireSchema(registry: Registry, name: string, suggest: (name: string) => string | undefined): void {
  if (registry.schemas.has(name)) return;
  const guess = suggest(name);
  const hint = guess ? `did you mean "${guess}"?` : 'run aegis order to list the schemas.';
  throw new UsageError(`no schema named "${name}": ${hint}`);
}
