import type { FileSource } from '../file-source.js';
import type { LoadedFile, Registry } from '../model.js';
import { buildRegistry } from './build-registry.js';
import { isRegistryFile } from './file-names.js';
import type { LoadLimits } from './limits.js';
import { loadFile } from './load-file.js';

/** Options of `loadRegistry`. */
export interface LoadRegistryOptions {
  limits?: Partial<LoadLimits>;
}

/**
 * Reads every `.yaml` / `.yml` file the source lists and loads it. A folder without schema files gives an
 * empty registry (the caller decides whether that is an error). Read failures propagate: they are I/O
 * problems of the source, not findings about the registry.
 */
export async function loadRegistry(source: FileSource, options: LoadRegistryOptions = {}): Promise<Registry> {
  const paths = (await source.list()).filter(isRegistryFile);
  const files: LoadedFile[] = [];
  // A bounded number of reads in flight: enough to keep the disk busy, few enough for any open-file limit.
  for (let start = 0; start < paths.length; start += READ_BATCH) {
    const batch = paths.slice(start, start + READ_BATCH);
    const contents = await Promise.all(batch.map((path) => source.read(path)));
    batch.forEach((path, i) => files.push(loadFile(path, contents[i] ?? '', options.limits)));
  }
  return buildRegistry(files);
}

const READ_BATCH = 64;
