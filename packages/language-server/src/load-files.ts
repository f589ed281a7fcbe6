import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { HashedEntry } from './load-cache.js';
import { contentHash } from './load-cache.js';
import { loadEntry } from './load-entry.js';
import { readFiles } from './scan-schema-folder.js';

/** Files a worker loads before posting them (small batches keep each hand-over on the main thread short). */
const BATCH = 50;
/** Files loaded in-process between two turns of the event loop, when there are no workers. */
const CHUNK = 25;

/**
 * Names the worker script has beside this module: `tsc`'s output and the npm package's ESM bundle ship
 * `load-worker.js`, the extension's CommonJS bundle `load-worker.cjs`.
 */
const WORKER_SCRIPTS = ['./load-worker.js', './load-worker.cjs'];

/** What the main thread hands a worker (`load-worker.ts`). */
export interface LoadWork {
  root: string;
  files: string[];
  batch: number;
  /** One Int32: how many of this worker's batches the main thread has taken (see `BATCHES_IN_FLIGHT`). */
  taken: SharedArrayBuffer;
}

/**
 * Batches a worker posts before the main thread has taken them. Node hands a thread every message queued on a
 * port in one go: workers faster than a busy main thread would queue dozens, then hold it for seconds while it
 * takes them all, and a request waits behind. Two each keep the workers busy and that hold short.
 */
export const BATCHES_IN_FLIGHT = 2;

/** How a scan loaded its files: in how many worker threads, and how many files here on the main thread. */
export interface LoadReport {
  threads: number;
  inProcess: number;
}

/** The worker script beside this module, or undefined where there is none (a bundle that does not ship it). */
export function loadWorkerScript(): URL | undefined {
  for (const name of WORKER_SCRIPTS) {
    try {
      const url = new URL(name, import.meta.url);
      if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return url;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Reads and loads `files` (registry paths under `root`), handing the compact entries to `onBatch` as they
 * come. With a worker script the work is shared among worker threads (one per core but one, at least 1, at
 * most 4); without, it runs here in small chunks, yielding to the event loop between them. Either way the main thread keeps
 * answering requests while a large registry loads. Says how the files were loaded.
 */
export async function loadFiles(
  root: string,
  files: string[],
  onBatch: (loaded: HashedEntry[]) => void,
  worker: URL | undefined = loadWorkerScript(),
): Promise<LoadReport> {
  if (worker === undefined || files.length < BATCH) {
    await loadHere(root, files, onBatch);
    return { threads: 0, inProcess: files.length };
  }
  // A core is left to the main thread, which takes every batch into the model: with the subset YAML reader one
  // worker outpaces it, and on 2 cores a second one only competed with it (bench/lsp: docs/benchmarks-lsp.md).
  const threads = Math.max(1, Math.min(4, availableParallelism() - 1, Math.ceil(files.length / BATCH)));
  const shares = Array.from({ length: threads }, (_, t) => files.filter((_f, i) => i % threads === t));
  const received = new Set<string>();
  const take = (loaded: HashedEntry[]): void => {
    for (const { entry } of loaded) received.add(entry.file);
    onBatch(loaded);
  };
  const ran = await Promise.allSettled(
    shares.map((share) => runWorker(worker, { root, files: share, batch: BATCH }, take)),
  );
  // A worker that failed (it could not start, or died) leaves its files to be loaded here.
  const missing = files.filter((f) => !received.has(f));
  if (missing.length > 0) await loadHere(root, missing, onBatch);
  return { threads: ran.filter((r) => r.status === 'fulfilled').length, inProcess: missing.length };
}

/** Loads one file and notes the hash of its bytes (what the cache across sessions knows it by). */
export function loadHashed(file: string, content: Uint8Array): HashedEntry {
  return { hash: contentHash(content), entry: loadEntry(file, content) };
}

function runWorker(
  script: URL,
  work: Omit<LoadWork, 'taken'>,
  onBatch: (loaded: HashedEntry[]) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const taken = new SharedArrayBuffer(4);
    const count = new Int32Array(taken);
    const worker = new Worker(script, { workerData: { ...work, taken } satisfies LoadWork });
    worker.on('message', (loaded: HashedEntry[]) => {
      onBatch(loaded);
      Atomics.add(count, 0, 1);
      Atomics.notify(count, 0);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`load worker exited with ${code}`))));
  });
}

async function loadHere(root: string, files: string[], onBatch: (loaded: HashedEntry[]) => void): Promise<void> {
  for (let i = 0; i < files.length; i += BATCH) {
    const read = await readFiles(root, files.slice(i, i + BATCH));
    for (let j = 0; j < read.length; j += CHUNK) {
      onBatch(read.slice(j, j + CHUNK).map(([file, content]) => loadHashed(file, content)));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
