import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Reads every file under `folder` (relative to `root`) that `include` accepts: the language server's
 * start-up scan, so files that are not open count too. Returns registry paths ('/'-separated, relative to
 * the root) with their bytes; a folder that does not exist yields nothing.
 */
export async function scanSchemaFolder(
  root: string,
  folder: string,
  include: (file: string) => boolean,
): Promise<[string, Uint8Array][]> {
  let names: string[];
  try {
    names = await readdir(path.join(root, ...folder.split('/')), { recursive: true });
  } catch {
    return [];
  }
  const files = names
    .map((name) => (folder === '' ? '' : `${folder}/`) + name.split(path.sep).join('/'))
    .filter(include)
    .sort();
  const result: [string, Uint8Array][] = [];
  // Bounded parallel reads: fast on 10,000 files without exhausting file descriptors.
  for (let i = 0; i < files.length; i += 256) {
    const batch = files.slice(i, i + 256);
    const contents = await Promise.all(
      batch.map((f) => readFile(path.join(root, ...f.split('/'))).catch(() => undefined)),
    );
    batch.forEach((f, j) => {
      const content = contents[j];
      if (content) result.push([f, content]);
    });
  }
  return result;
}
