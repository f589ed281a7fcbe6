// Full validation through @aegis/core (built dist): load with limits, JSON Schema, local checks,
// references, cycles. Plain JavaScript so it runs under bare `node`.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadRegistry, validateRegistry } from '@aegis/core';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node validate-library.mjs <dir>');
// A disk FileSource reading the way the floor does (synchronously), so the comparison is about validation.
const source = {
  list: async () => readdirSync(dir).map((name) => path.join(dir, name)),
  read: async (file) => readFileSync(file),
};
const diagnostics = [...validateRegistry(await loadRegistry(source)).values()].flat();
console.log(`${diagnostics.length} diagnostics`);
process.exitCode = diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
