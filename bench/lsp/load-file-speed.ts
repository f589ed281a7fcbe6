// In-process: core's loadFile on generated schema files, every file read by yaml alone (`yaml-only`, as before
// the subset reader) and subset-first (the default), rounds alternating so the machine's load hits both alike.
// Usage: pnpm exec tsx bench/lsp/load-file-speed.ts [--files 3000] [--rounds 4]
import { loadFile } from '@aegis/core';
import { schemaName, schemaText } from './generate-registry.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1] ?? fallback) : fallback;
}

const files = arg('files', 3000);
const rounds = arg('rounds', 4);
const texts = Array.from({ length: files }, (_, i) => new TextEncoder().encode(schemaText(i)));
const perFile: Record<string, number[]> = { 'yaml-only': [], 'subset-first': [] };
for (let round = 0; round < rounds; round++) {
  for (const parser of ['yaml-only', 'subset-first'] as const) {
    const started = performance.now();
    for (let i = 0; i < files; i++) loadFile(`.kiro/schemas/${schemaName(i)}.yaml`, texts[i] ?? '', undefined, parser);
    perFile[parser]?.push(((performance.now() - started) / files) * 1000);
  }
}
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const before = median(perFile['yaml-only'] ?? []);
const after = median(perFile['subset-first'] ?? []);
console.log(
  `loadFile, ${files} files × ${rounds} rounds: yaml-only ${before.toFixed(0)} µs a file, subset-first ${after.toFixed(0)} µs (${(before / after).toFixed(1)}× faster)`,
);
