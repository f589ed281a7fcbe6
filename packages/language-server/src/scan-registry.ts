import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LoadedFile } from '@aegis/core';
import type { HashedEntry } from './load-cache.js';
import { contentHash, LoadCache } from './load-cache.js';
import { loadFiles } from './load-files.js';
import type { LoadReport } from './load-files.js';
import { listSchemaFolder } from './scan-schema-folder.js';

/** Where the start-up scan stands, for `$/progress` (the client shows it while the registry loads). */
export interface ScanProgress {
  begin(total: number): void;
  report(done: number, total: number): void;
  /** `message`: how the files were loaded (worker threads or in-process), shown with the progress. */
  end(message?: string): void;
}

/** What the scan reads and whom it tells. */
export interface ScanOptions {
  root: string;
  folder: string;
  include: (file: string) => boolean;
  progress?: ScanProgress;
  /** The worker script (default: the built one beside this module, if any). */
  worker?: URL;
  /** Where loaded files are cached across sessions (see `LoadCache`); none when absent. */
  cacheDir?: string;
  /** Reports a cache that could not be read or written (the scan goes on without it). */
  logError?: (message: string) => void;
  /** Given each batch of entries as it is loaded (or taken from the cache), before the scan ends. */
  onBatch?: (entries: LoadedFile[]) => void;
}

/** What a scan found, and the write of the cache across sessions it leaves to the caller. */
export interface ScanResult {
  entries: LoadedFile[];
  /**
   * Writes the cache across sessions (never rejects: a failure is reported through `logError`). Left to the
   * caller because it takes main-thread time: call it once the scan's results are published.
   */
  saveCache: () => Promise<void>;
}

/**
 * The start-up scan: lists the schema folder and loads every file (worker threads where available), off the
 * request queue, so open files are answered from what is known while it runs. Files whose bytes the cache
 * across sessions knows are taken from it, unloaded. Returns the compact entries.
 */
export async function scanRegistry(options: ScanOptions): Promise<ScanResult> {
  const [files, cache] = await Promise.all([
    listSchemaFolder(options.root, options.folder, options.include),
    openCache(options),
  ]);
  const scanned = new Map<string, HashedEntry>();
  options.progress?.begin(files.length);
  const take = (batch: HashedEntry[]): void => {
    for (const hashed of batch) scanned.set(hashed.entry.file, hashed);
    options.progress?.report(scanned.size, files.length);
    options.onBatch?.(batch.map((hashed) => hashed.entry));
  };
  let report: LoadReport | undefined;
  let cached = 0;
  try {
    const missed = cache && cache.size > 0 ? await takeCached(options.root, files, cache, take) : files;
    cached = files.length - missed.length;
    report = await loadFiles(options.root, missed, take, options.worker);
  } finally {
    options.progress?.end(report && describeLoad(files.length, report, cached));
  }
  const saveCache = async (): Promise<void> =>
    cache
      ?.save(scanned)
      .catch((error: unknown) => options.logError?.(`Aegis: load cache not written: ${String(error)}`));
  return { entries: [...scanned.values()].map((hashed) => hashed.entry), saveCache };
}

async function openCache(options: ScanOptions): Promise<LoadCache | undefined> {
  if (options.cacheDir === undefined) return undefined;
  try {
    return await LoadCache.open(options.cacheDir, options.root, options.folder);
  } catch (error) {
    options.logError?.(`Aegis: load cache not read: ${String(error)}`);
    return undefined;
  }
}

/** Files read and hashed between two turns of the event loop (~20 ms on a loaded machine). */
const HASH_SLICE = 250;

/**
 * Reads and hashes every file, hands over those the cache knows, and returns the others (to be loaded).
 * Synchronous reads in slices: twice as fast as 10,000 promised reads, and the event loop turns between slices.
 */
async function takeCached(
  root: string,
  files: string[],
  cache: LoadCache,
  take: (batch: HashedEntry[]) => void,
): Promise<string[]> {
  const missed: string[] = [];
  for (let i = 0; i < files.length; i += HASH_SLICE) {
    const hits: HashedEntry[] = [];
    for (const file of files.slice(i, i + HASH_SLICE)) {
      const hash = hashOf(root, file);
      const entry = hash === undefined ? undefined : cache.lookup(file, hash);
      if (hash !== undefined && entry) hits.push({ hash, entry });
      else missed.push(file);
    }
    take(hits);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return missed;
}

function hashOf(root: string, file: string): string | undefined {
  try {
    return contentHash(readFileSync(path.join(root, ...file.split('/'))));
  } catch {
    // Unreadable now: left to the loader, which leaves it out as the scan always has.
    return undefined;
  }
}

/**
 * `1000 files loaded in 2 worker threads`, `50 files loaded in-process`, files a failed worker left, and
 * how many came from the cache across sessions.
 */
export function describeLoad(total: number, { threads, inProcess }: LoadReport, cached = 0): string {
  const files = `${total} ${total === 1 ? 'file' : 'files'} loaded`;
  if (cached === total && total > 0) return `${files} from the cache`;
  const fromCache = cached > 0 ? ` (${cached} from the cache)` : '';
  if (threads === 0) return `${files} in-process${fromCache}`;
  const where = `${files} in ${threads} worker ${threads === 1 ? 'thread' : 'threads'}${fromCache}`;
  return inProcess > 0 ? `${where} (${inProcess} in-process after a worker failed)` : where;
}
