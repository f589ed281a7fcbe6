import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { FolderWatcher } from './folder-watcher.js';
import type { DiskChange } from './folder-watcher.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function folder(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'aegis-watch-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Every change the watcher hands on, and a wait for the first that `test` accepts. */
function recorder(): {
  seen: DiskChange[];
  onChanges: (c: DiskChange[]) => void;
  next: (test: (c: DiskChange) => boolean) => Promise<DiskChange>;
} {
  const seen: DiskChange[] = [];
  const waiters: { test: (c: DiskChange) => boolean; resolve: (c: DiskChange) => void }[] = [];
  return {
    seen,
    onChanges: (changes) => {
      seen.push(...changes);
      for (const change of changes)
        for (const w of waiters.filter((x) => x.test(change))) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(change);
        }
    },
    next: (test) => {
      const found = seen.find(test);
      return found ? Promise.resolve(found) : new Promise((resolve) => waiters.push({ test, resolve }));
    },
  };
}

test('changes in the folder and in a subfolder created after the start are seen, deletions as gone', async () => {
  const dir = await folder();
  const r = recorder();
  const watcher = await FolderWatcher.start(dir, r.onChanges);
  cleanups.push(() => watcher.close());
  expect(watcher.size).toBe(1);

  const top = path.join(dir, 'users.yaml');
  await writeFile(top, 'name: users\n');
  expect(await r.next((c) => c.path === top)).toEqual({ path: top, exists: true });

  const sub = path.join(dir, 'billing');
  await mkdir(sub);
  await r.next((c) => c.path === sub);
  expect(watcher.size).toBe(2);
  const nested = path.join(sub, 'invoices.yaml');
  await writeFile(nested, 'name: invoices\n');
  expect(await r.next((c) => c.path === nested)).toEqual({ path: nested, exists: true });

  await rm(top);
  expect(await r.next((c) => c.path === top && !c.exists)).toEqual({ path: top, exists: false });
});

test('at most `limit` directories are watched; one left out is named', async () => {
  const dir = await folder();
  for (const name of ['a', 'b', 'c']) await mkdir(path.join(dir, name));
  const left: string[] = [];
  const watcher = await FolderWatcher.start(dir, () => undefined, { limit: 3, onLimit: (d) => left.push(d) });
  cleanups.push(() => watcher.close());
  expect(watcher.size).toBe(3);
  // The root and two of its three subfolders (in the order the directory lists them), the third named.
  expect(left).toHaveLength(1);
  expect(['a', 'b', 'c'].map((n) => path.join(dir, n))).toContain(left[0]);
});

test('a subfolder moved in with its files: the files already in it are reported', async () => {
  const dir = await folder();
  const elsewhere = await folder();
  const r = recorder();
  const watcher = await FolderWatcher.start(dir, r.onChanges);
  cleanups.push(() => watcher.close());
  await mkdir(path.join(elsewhere, 'billing'));
  await writeFile(path.join(elsewhere, 'billing', 'invoices.yaml'), 'name: invoices\n');
  await rename(path.join(elsewhere, 'billing'), path.join(dir, 'billing'));
  const nested = path.join(dir, 'billing', 'invoices.yaml');
  expect(await r.next((c) => c.path === nested)).toEqual({ path: nested, exists: true });
});

test('a folder that does not exist yet is waited for; once created, its files are reported', async () => {
  const root = await folder();
  const schemas = path.join(root, '.kiro', 'schemas');
  const r = recorder();
  const watcher = await FolderWatcher.start(schemas, r.onChanges, { within: root });
  cleanups.push(() => watcher.close());
  expect(watcher.size).toBe(0);
  // As `aegis init` does: the folders and a file at once, then another file.
  await mkdir(schemas, { recursive: true });
  const first = path.join(schemas, 'accounts.yaml');
  await writeFile(first, 'name: accounts\n');
  expect(await r.next((c) => c.path === first)).toEqual({ path: first, exists: true });
  expect(watcher.size).toBe(1);
  const second = path.join(schemas, 'users.yaml');
  await writeFile(second, 'name: users\n');
  expect(await r.next((c) => c.path === second)).toEqual({ path: second, exists: true });
});

test('closing unwatches every directory', async () => {
  const dir = await folder();
  await mkdir(path.join(dir, 'sub'));
  const watcher = await FolderWatcher.start(dir, () => undefined);
  expect(watcher.size).toBe(2);
  watcher.close();
  expect(watcher.size).toBe(0);
});
