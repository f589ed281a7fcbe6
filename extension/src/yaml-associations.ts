/** `yaml.schemas` as VS Code settings hold it: a JSON Schema (path or URL) → the globs of the files it checks. */
export type YamlSchemas = Record<string, string | string[]>;

/** Where the schema files are unless `aegis.schemaFolder` says otherwise. */
export const DEFAULT_SCHEMA_FOLDER = '.kiro/schemas';

// A glob for YAML files in any folder: *.yaml, **/*.yml, **/*.{yaml,yml} and the like.
const ANY_YAML_FILE = /^(\*\*\/)?\*\.(ya?ml|\{[^}]*ya?ml[^}]*\})$/;

/**
 * The JSON Schemas that `yaml.schemas` associates with files of the schema folder (what `aegis init` wrote
 * before the Aegis server became the one reporting structure, or an association made by hand). With Red Hat's
 * YAML extension installed, each makes it report again what the Aegis server reports.
 */
export function schemaFolderAssociations(schemas: YamlSchemas | undefined, folder: string): string[] {
  const clean = trimFolder(folder);
  const covers = (glob: string): boolean => {
    if (glob.startsWith('!')) return false;
    const path = glob.replace(/^\.?\//, '');
    return path.startsWith(`${clean}/`) || path.includes(`/${clean}/`) || ANY_YAML_FILE.test(path);
  };
  return Object.entries(schemas ?? {})
    .filter(([, globs]) => (Array.isArray(globs) ? globs : [globs]).some(covers))
    .map(([schema]) => schema);
}

/** A schema folder setting without `./` in front or `/` behind (`.kiro/schemas` when empty). */
export function trimFolder(folder: string): string {
  return folder.replace(/^\.\//, '').replace(/\/+$/, '') || DEFAULT_SCHEMA_FOLDER;
}
