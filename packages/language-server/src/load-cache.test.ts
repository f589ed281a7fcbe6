import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { LoadCache } from './load-cache.js';
import { scanRegistry } from './scan-registry.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const FOLDER = '.kiro/schemas';
const USERS = 'name: users\nowner: a\nversion: 1.0.0\ncolumns:\n  - { name: id, type: UUID, primary_key: true }\n';
// Broken on purpose: its diagnostics must come back from the cache exactly as loading gives them.
const ORDERS = 'name: orders\nowner: a\nversion: 1\nbogus: 1\ncolumns:\n  - { name: id, type: UUID }\n';

async function registry(files: Record<string, string>): Promise<{ root: string; cacheDir: string }> {
  const root = await mkdtemp(path.join(tmpdir(), 'aegis-load-cache-'));
  dirs.push(root);
  await mkdir(path.join(root, FOLDER), { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(root, FOLDER, name), text);
  return { root, cacheDir: path.join(root, 'cache') };
}

async function scan(root: string, cacheDir: string | undefined): Promise<{ files: unknown[]; how: string }> {
  let how = '';
  const progress = { begin: () => undefined, report: () => undefined, end: (m?: string) => void (how = m ?? '') };
  const { entries, saveCache } = await scanRegistry({ root, folder: FOLDER, include: () => true, cacheDir, progress });
  void saveCache();
  const files = entries
    .sort((a, b) => a.file.localeCompare(b.file))
    .map((f) => JSON.parse(JSON.stringify(f)) as unknown);
  return { files, how };
}

async function cacheFile(cacheDir: string): Promise<string> {
  const dir = path.join(cacheDir, 'language-server');
  const name = (await readdir(dir)).find((n) => n.endsWith('.jsonl'));
  if (name === undefined) throw new Error('no cache written');
  return path.join(dir, name);
}

/** Scans until the cache a scan writes in the background is on disk. */
async function scanAndWrite(root: string, cacheDir: string): Promise<void> {
  await scan(root, cacheDir);
  for (let i = 0; i < 200; i++) {
    if (
      await cacheFile(cacheDir).then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('a second scan takes unchanged files from the cache, with the same entries and diagnostics', async () => {
  const { root, cacheDir } = await registry({ 'users.yaml': USERS, 'orders.yaml': ORDERS });
  const uncached = await scan(root, undefined);
  await scanAndWrite(root, cacheDir);
  const warm = await scan(root, cacheDir);
  expect(warm.how).toBe('2 files loaded from the cache');
  expect(warm.files).toEqual(uncached.files);
  expect(JSON.stringify(uncached.files)).toContain('invalid-field');
});

test('a changed file is loaded again, the others come from the cache', async () => {
  const { root, cacheDir } = await registry({ 'users.yaml': USERS, 'orders.yaml': ORDERS });
  await scanAndWrite(root, cacheDir);
  await writeFile(path.join(root, FOLDER, 'orders.yaml'), ORDERS.replace('version: 1\n', 'version: 1.0.0\n'));
  const warm = await scan(root, cacheDir);
  expect(warm.how).toBe('2 files loaded in-process (1 from the cache)');
  expect(warm.files).toEqual((await scan(root, undefined)).files);
});

test.each([
  ['garbage', 'not json at all\n\u0000\u0001'],
  ['a foreign header', '{"aegisLoadCache":1,"parser":"another build"}\n'],
])('a cache file holding %s is ignored and rewritten', async (_what, text) => {
  const { root, cacheDir } = await registry({ 'users.yaml': USERS });
  await scanAndWrite(root, cacheDir);
  const file = await cacheFile(cacheDir);
  const [header] = (await readFile(file, 'utf8')).split('\n');
  await writeFile(file, text);
  expect((await LoadCache.open(cacheDir, root, FOLDER)).size).toBe(0);
  expect((await scan(root, cacheDir)).how).toBe('1 file loaded in-process');
  await expect.poll(async () => (await readFile(file, 'utf8')).split('\n')[0]).toBe(header);
});

test('lines that are not entries of their file are skipped; the rest is used', async () => {
  const { root, cacheDir } = await registry({ 'users.yaml': USERS, 'orders.yaml': ORDERS });
  await scanAndWrite(root, cacheDir);
  const file = await cacheFile(cacheDir);
  const [header, first, second] = (await readFile(file, 'utf8')).split('\n');
  const forged = JSON.stringify([`${FOLDER}/users.yaml`, 'x', { file: 'elsewhere.yaml', kind: 'schema' }]);
  await writeFile(file, [header, forged, first?.slice(0, 20), second, ''].join('\n'));
  expect((await LoadCache.open(cacheDir, root, FOLDER)).size).toBe(1);
  expect((await scan(root, cacheDir)).files).toEqual((await scan(root, undefined)).files);
});
