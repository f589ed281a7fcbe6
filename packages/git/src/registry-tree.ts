import { gitFailed, runGit } from './run-git.js';

/** One file of the registry folder at a commit, as git stores it. */
export interface RegistryEntry {
  /** Path from the repository root, '/'-separated: `.kiro/schemas/users.yaml`. */
  path: string;
  /** Git's blob id: equal ids mean equal bytes, so callers can cache parsed files by it. */
  blobId: string;
}

/** The registry folder at one commit: its tree id (the registry's version hash) and its files. */
export interface RegistryTree {
  commit: string;
  treeId: string;
  entries: RegistryEntry[];
}

/** Normalises a schema folder to a root-relative path without leading or trailing slashes. */
export function normalizeSchemaDir(schemaDir: string): string {
  return schemaDir
    .replace(/\\/g, '/')
    .replace(/^\.\/+/, '')
    .replace(/^\/+|\/+$/g, '');
}

/** The tree id of the registry folder at a commit (one `git ls-tree -d`), or undefined when it has none. */
export async function registryTreeId(repoDir: string, commit: string, schemaDir: string): Promise<string | undefined> {
  const dir = normalizeSchemaDir(schemaDir);
  const args = ['ls-tree', '-d', '-z', '--full-tree', commit, '--', dir];
  const result = await runGit(repoDir, args);
  if (result.code !== 0) throw gitFailed(args, result.stderr);
  for (const record of result.stdout.toString('utf8').split('\0')) {
    const tab = record.indexOf('\t');
    const [, type, oid] = record.slice(0, tab).split(/ +/);
    if (type === 'tree' && record.slice(tab + 1) === dir) return oid;
  }
  return undefined;
}
