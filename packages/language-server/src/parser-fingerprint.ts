import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A hash of the code that loads files (`@aegis/core`'s compiled files, or this bundle when core is inside
 * it): it changes whenever a file could load differently, so a cache written by another build is not trusted.
 * The same idea as the bot's parse cache (`packages/bot/src/mirror/parse-cache-store.ts`).
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
    // The extension's and the npm package's bundles carry core inside the server file itself.
    return [fileURLToPath(import.meta.url)];
  }
  const dir = path.dirname(entry);
  const names = await readdir(dir, { recursive: true });
  return names
    .filter((n) => n.endsWith('.js'))
    .sort()
    .map((n) => path.join(dir, n));
}
