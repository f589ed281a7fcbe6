import type { LoadedFile, Registry, Schema } from '../model.js';
import { schemaBaseName } from './file-names.js';

/**
 * A registry from loaded files: every file by path, schemas by declared name. When several files declare
 * one name, the file named after it wins (`users.yaml` for `users`), else the first by path.
 */
export function buildRegistry(files: Iterable<LoadedFile>): Registry {
  const sorted = [...files].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const registry: Registry = { files: new Map(), schemas: new Map<string, Schema>() };
  for (const loaded of sorted) registry.files.set(loaded.file, loaded);
  const schemas = sorted.flatMap((loaded) => (loaded.schema ? [loaded.schema] : []));
  const wellNamed = (schema: Schema): boolean => schema.name.value === schemaBaseName(schema.file);
  for (const schema of [...schemas.filter(wellNamed), ...schemas.filter((s) => !wellNamed(s))]) {
    if (!registry.schemas.has(schema.name.value)) registry.schemas.set(schema.name.value, schema);
  }
  return registry;
}
