/** The folder the manifest's `yamlValidation` already maps (subfolders, .yaml and .yml included). */
export const DEFAULT_SCHEMA_FOLDER = '.kiro/schemas';

/** Which of the two JSON Schemas a file gets. */
export type SchemaKind = 'schema-file' | 'registry-file';

/**
 * The JSON Schema for a file when the schema folder is not the default: a `.yaml`/`.yml` file anywhere below
 * `<root>/<folder>/` is a schema file, `registry.yaml` right in it is the registry's metadata. Undefined for
 * other files, and for every file while the folder is the default (the manifest maps those already).
 */
export function schemaKindFor(resource: string, roots: string[], folder: string): SchemaKind | undefined {
  const clean = folder.replace(/^\.\//, '').replace(/\/+$/, '');
  if (clean === DEFAULT_SCHEMA_FOLDER || !/\.ya?ml$/.test(resource)) return undefined;
  for (const root of roots) {
    const base = `${root.replace(/\/+$/, '')}/${clean.split('/').map(encodeURIComponent).join('/')}/`;
    if (!resource.startsWith(base)) continue;
    return /^registry\.ya?ml$/.test(resource.slice(base.length)) ? 'registry-file' : 'schema-file';
  }
  return undefined;
}
