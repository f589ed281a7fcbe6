import type { CatFileBatch, GitObject } from './cat-file-batch.js';
import { NoSchemasError } from './errors.js';
import { normalizeSchemaDir, type RegistryEntry, type RegistryTree } from './registry-tree.js';

const TREE_MODE = '40000';
const FILE_MODES = new Set(['100644', '100755']); // symlinks (120000) and submodules (160000) are no schema

/** The entries of a raw tree object: `<mode> <name>\0<binary id>` repeated; ids are 20 or 32 bytes. */
function parseTree(content: Buffer, idBytes: number): { mode: string; name: string; oid: string }[] {
  const entries: { mode: string; name: string; oid: string }[] = [];
  let offset = 0;
  while (offset < content.length) {
    const space = content.indexOf(0x20, offset);
    const nul = content.indexOf(0, space);
    if (space < 0 || nul < 0) break;
    entries.push({
      mode: content.toString('latin1', offset, space),
      name: content.toString('utf8', space + 1, nul),
      oid: content.toString('hex', nul + 1, nul + 1 + idBytes),
    });
    offset = nul + 1 + idBytes;
  }
  return entries;
}

/**
 * Reads the registry folder of a commit through the batch process alone (no other git process): the
 * folder's tree by `<commit>:<dir>` (its id is the version hash), then subfolders level by level, each
 * level in one batched round trip.
 */
export async function readRegistryTree(
  batch: CatFileBatch,
  commit: GitObject,
  schemaDir: string,
  ref: string,
): Promise<RegistryTree> {
  const dir = normalizeSchemaDir(schemaDir);
  const root = await batch.object(`${commit.oid}:${dir}`).catch(() => undefined);
  if (!root || root.type !== 'tree') throw new NoSchemasError(ref, dir);
  const idBytes = commit.oid.length / 2;
  const entries: RegistryEntry[] = [];
  let level: { prefix: string; tree: GitObject }[] = [{ prefix: dir, tree: root }];
  while (level.length > 0) {
    const subtrees: { prefix: string; oid: string }[] = [];
    for (const { prefix, tree } of level) {
      for (const entry of parseTree(tree.content, idBytes)) {
        const path = `${prefix}/${entry.name}`;
        if (entry.mode === TREE_MODE) subtrees.push({ prefix: path, oid: entry.oid });
        else if (FILE_MODES.has(entry.mode)) entries.push({ path, blobId: entry.oid });
      }
    }
    level = await Promise.all(subtrees.map(async (s) => ({ prefix: s.prefix, tree: await batch.object(s.oid) })));
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { commit: commit.oid, treeId: root.oid, entries };
}
