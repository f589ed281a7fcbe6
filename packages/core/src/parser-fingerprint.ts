import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A hash of the code that loads files (`@aegis/core`'s compiled files, or the bundle core is inside): it changes
 * whenever a file could load differently, so a cache written by another build is not trusted (the language
 * server's load cache, the bot's parse cache). Node only: imported as `@aegis/core/parser-fingerprint`, apart
 * from the rest of core.
 */
export async function parserFingerprint(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await parserFiles()) {
    hash.update(path.basename(file));
    hash.update(await readFile(file));
  }
  return hash.digest('hex').slice(0, 16);
}

async function parserFiles(): Promise<string[]> {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve('@aegis/core');
  } catch {
    // A bundle (the extension's, the npm package's, the app's) carries core inside itself.
    return [fileURLToPath(import.meta.url)];
  }
  const dir = path.dirname(entry);
  const names = await readdir(dir, { recursive: true });
  return names
    .filter((n) => n.endsWith('.js'))
    .sort()
    .map((n) => path.join(dir, n));
}
