// Heap held by a loaded registry: the compact model (what core keeps) or, for comparison, every file's
// yaml Document. Run with --expose-gc: node --expose-gc heap-of-model.mjs <dir> model|documents
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { buildRegistry, loadFile } from '@aegis/core';

const [dir, mode] = process.argv.slice(2);
if (!dir || (mode !== 'model' && mode !== 'documents'))
  throw new Error('usage: node --expose-gc heap-of-model.mjs <dir> model|documents');
const names = readdirSync(dir).filter((name) => name.endsWith('.yaml'));
globalThis.gc();
const before = process.memoryUsage().heapUsed;
const held =
  mode === 'model'
    ? buildRegistry(names.map((name) => loadFile(path.join(dir, name), readFileSync(path.join(dir, name)))))
    : names.map((name) =>
        parseDocument(readFileSync(path.join(dir, name), 'utf8'), { lineCounter: new LineCounter() }),
      );
globalThis.gc();
const mib = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
console.log(`${mode}: ${names.length} files, ${mib.toFixed(1)} MiB heap${held ? '' : ''}`);
