/** What core reads of a parsed document: its root node and range (yaml's `Document`, or the subset's twin). */
export interface YamlTree {
  contents: unknown;
  range: [number, number, number];
}

/**
 * Which parser reads a file: `subset-first` (the default) tries the fast reader of the schema-file subset
 * and falls back to yaml for anything else; `yaml-only` always uses yaml (the reference, and a way out).
 */
export type YamlParser = 'subset-first' | 'yaml-only';
