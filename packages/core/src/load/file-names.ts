/** Whether a listed path is part of the registry: a `.yaml` / `.yml` file (a schema or `registry.yaml`). */
export function isRegistryFile(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

/** Whether a path is the registry's metadata file, `registry.yaml`. */
export function isMetadataFile(path: string): boolean {
  return /^registry\.ya?ml$/i.test(fileName(path));
}

/** The file's name without folders or the `.yaml` / `.yml` extension: the schema name it must declare. */
export function schemaBaseName(path: string): string {
  return fileName(path).replace(/\.ya?ml$/i, '');
}

function fileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
