/** One file that differs between two registry trees. */
export interface ChangedFile {
  status: 'added' | 'modified' | 'removed' | 'renamed';
  /** The path on the head side (on the base side for a removed file), from the repository root. */
  path: string;
  /** The base-side path of a renamed file. */
  oldPath?: string;
  /** The head-side blob id (absent for a removed file). */
  blobId?: string;
  /** The base-side blob id (absent for an added file). */
  oldBlobId?: string;
  /** For a rename: git's similarity score, 0–100. */
  similarity?: number;
}

const ZERO = /^0+$/;

/**
 * Parses `git diff --raw -z --no-abbrev` (or `diff-tree`) output. `prefix` is put before every path, for
 * diffs of two subtrees whose paths are relative to the registry folder.
 */
export function parseRawDiff(output: string, prefix = ''): ChangedFile[] {
  const fields = output.split('\0');
  const changes: ChangedFile[] = [];
  let i = 0;
  while (i < fields.length) {
    const meta = fields[i++];
    if (!meta?.startsWith(':')) continue;
    const [, , oldId = '', newId = '', code = ''] = meta.slice(1).split(' ');
    const letter = code.charAt(0);
    const first = prefix + (fields[i++] ?? '');
    const oldBlobId = ZERO.test(oldId) ? undefined : oldId;
    const blobId = ZERO.test(newId) ? undefined : newId;
    if (letter === 'R' || letter === 'C') {
      const second = prefix + (fields[i++] ?? '');
      const similarity = Number(code.slice(1)) || 0;
      changes.push(
        letter === 'R'
          ? { status: 'renamed', path: second, oldPath: first, blobId, oldBlobId, similarity }
          : { status: 'added', path: second, blobId },
      );
    } else if (letter === 'A') changes.push({ status: 'added', path: first, blobId });
    else if (letter === 'D') changes.push({ status: 'removed', path: first, oldBlobId });
    else changes.push({ status: 'modified', path: first, blobId, oldBlobId });
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
