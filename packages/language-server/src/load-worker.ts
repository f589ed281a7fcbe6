// A worker thread of the start-up scan (see `loadFiles`): reads and loads its share of the schema files and
// posts the compact entries back in batches, so the main thread stays free to answer the editor.
import { parentPort, workerData } from 'node:worker_threads';
import type { HashedEntry } from './load-cache.js';
import { loadHashed, type LoadWork } from './load-files.js';
import { readFilesSync } from './scan-schema-folder.js';

function work({ root, files, batch }: LoadWork): void {
  for (let i = 0; i < files.length; i += batch) {
    const loaded: HashedEntry[] = [];
    for (const [file, content] of readFilesSync(root, files.slice(i, i + batch)))
      loaded.push(loadHashed(file, content));
    parentPort?.postMessage(loaded);
  }
}

// Synchronous: the extension bundles this file as CommonJS (no top-level await), and an error ends the worker.
work(workerData as LoadWork);
