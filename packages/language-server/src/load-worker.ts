// A worker thread of the start-up scan (see `loadFiles`): reads and loads its share of the schema files and
// posts the compact entries back in batches, so the main thread stays free to answer the editor.
import { parentPort, workerData } from 'node:worker_threads';
import type { HashedEntry } from './load-cache.js';
import { loadHashed, type LoadWork } from './load-files.js';
import { readFiles } from './scan-schema-folder.js';

async function work({ root, files, batch }: LoadWork): Promise<void> {
  for (let i = 0; i < files.length; i += batch) {
    const loaded: HashedEntry[] = [];
    for (const [file, content] of await readFiles(root, files.slice(i, i + batch)))
      loaded.push(loadHashed(file, content));
    parentPort?.postMessage(loaded);
  }
}

// Not a top-level await: the extension bundles this file as CommonJS. A rejection ends the worker with an error.
void work(workerData as LoadWork);
