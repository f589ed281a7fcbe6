import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { loadFile } from '@aegis/core';
import type { LoadedFile } from '@aegis/core';
import type { LoadWork } from './load-worker.js';
import { readFiles } from './scan-schema-folder.js';

/** Files a worker loads before posting them (small batches keep each hand-over on the main thread short). */
const BATCH = 100;
/** Files loaded in-process between two turns of the event loop, when there are no workers. */
const CHUNK = 25;

/** The built worker script beside this module, or undefined where there is none (a single-file bundle). */
export function loadWorkerScript(): URL | undefined {
  try {
    const url = new URL('./load-worker.js', import.meta.url);
    return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads and loads `files` (registry paths under `root`), handing the compact entries to `onBatch` as they
 * come. With a worker script the work is shared among worker threads (one per core, at most 4); without,
 * it runs here in small chunks, yielding to the event loop between them. Either way the main thread keeps
 * answering requests while a large registry loads.
 */
export async function loadFiles(
  root: string,
  files: string[],
  onBatch: (loaded: LoadedFile[]) => void,
  worker: URL | undefined = loadWorkerScript(),
): Promise<void> {
  if (worker === undefined || files.length < BATCH) return loadHere(root, files, onBatch);
  const threads = Math.max(1, Math.min(4, availableParallelism(), Math.ceil(files.length / BATCH)));
  const shares = Array.from({ length: threads }, (_, t) => files.filter((_f, i) => i % threads === t));
  const received = new Set<string>();
  const take = (loaded: LoadedFile[]): void => {
    for (const entry of loaded) received.add(entry.file);
    onBatch(loaded);
  };
  await Promise.allSettled(shares.map((share) => runWorker(worker, { root, files: share, batch: BATCH }, take)));
  // A worker that failed (it could not start, or died) leaves its files to be loaded here.
  const missing = files.filter((f) => !received.has(f));
  if (missing.length > 0) await loadHere(root, missing, onBatch);
}

function runWorker(script: URL, work: LoadWork, onBatch: (loaded: LoadedFile[]) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: work });
    worker.on('message', (loaded: LoadedFile[]) => onBatch(loaded));
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`load worker exited with ${code}`))));
  });
}

async function loadHere(root: string, files: string[], onBatch: (loaded: LoadedFile[]) => void): Promise<void> {
  for (let i = 0; i < files.length; i += BATCH) {
    const read = await readFiles(root, files.slice(i, i + BATCH));
    for (let j = 0; j < read.length; j += CHUNK) {
      onBatch(read.slice(j, j + CHUNK).map(([file, content]) => loadFile(file, content)));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
