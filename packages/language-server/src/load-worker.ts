// A worker thread of the start-up scan (see `loadFiles`): reads and loads its share of the schema files and
// posts the compact entries back in batches, so the main thread stays free to answer the editor.
import { parentPort, workerData } from 'node:worker_threads';
import type { HashedEntry } from './load-cache.js';
import { BATCHES_IN_FLIGHT, loadHashed, type LoadWork } from './load-files.js';
import { readFilesSync } from './scan-schema-folder.js';

function work({ root, files, batch, taken }: LoadWork): void {
  const count = new Int32Array(taken);
  let sent = 0;
  for (let i = 0; i < files.length; i += batch) {
    const loaded: HashedEntry[] = [];
    for (const [file, content] of readFilesSync(root, files.slice(i, i + batch)))
      loaded.push(loadHashed(file, content));
    waitUntilTaken(count, sent - BATCHES_IN_FLIGHT + 1);
    parentPort?.postMessage(loaded);
    sent++;
  }
}

/** Blocks this worker until the main thread has taken `enough` of its batches. */
function waitUntilTaken(count: Int32Array, enough: number): void {
  for (let seen = Atomics.load(count, 0); seen < enough; seen = Atomics.load(count, 0))
    // Woken by the main thread's notify; the timeout only re-checks, should a wake-up be missed.
    Atomics.wait(count, 0, seen, 1000);
}

// Synchronous: the extension bundles this file as CommonJS (no top-level await), and an error ends the worker.
work(workerData as LoadWork);
