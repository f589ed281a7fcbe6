import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FileSource } from '@aegis/core';
import { UsageError } from './command.js';

/**
 * A `FileSource` over a folder on disk. Paths are listed relative to `cwd` with '/' separators, so
 * diagnostics print as the user typed the folder (`.kiro/schemas/users.yaml`).
 */
export async function diskFileSource(dir: string, cwd: string): Promise<FileSource> {
  const absolute = path.resolve(cwd, dir);
  const info = await stat(absolute).catch(() => undefined);
  if (!info)
    throw new UsageError(
      `${dir}: no such folder. Run aegis in a repository with .kiro/schemas, or pass the schema folder: aegis validate path/to/schemas`,
    );
  if (!info.isDirectory()) throw new UsageError(`${dir}: not a folder. Pass the folder that holds the schema files.`);
  const display = toPosix(path.relative(cwd, absolute) || '.');
  const names = await listFiles(absolute);
  const byDisplay = new Map(
    names.map((name) => [display === '.' ? name : `${display}/${name}`, path.join(absolute, name)]),
  );
  return {
    list: async () => [...byDisplay.keys()],
    read: async (file) => {
      const full = byDisplay.get(file);
      if (!full) throw new Error(`${file}: not part of ${display}`);
      return readFile(full);
    },
  };
}

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => toPosix(path.relative(root, path.join(entry.parentPath, entry.name))))
    .sort();
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
