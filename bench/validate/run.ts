// pnpm bench:validate — full validation against the bare-parse floor, as whole processes, in one run.
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateRegistry } from './generate-registry.js';
import type { ProcessCost } from './measure-process.js';
import { measureProcess, median } from './measure-process.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const here = path.join(root, 'bench/validate');
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const cli = path.join(root, 'packages/cli/bin/aegis.js');

interface Contender {
  label: string;
  args: (dir: string) => string[];
}

const contenders: Contender[] = [
  { label: 'floor: yaml.parse of every file', args: (dir) => [path.join(here, 'parse-floor.mjs'), dir] },
  { label: 'aegis validate (CLI process)', args: (dir) => [cli, 'validate', dir] },
  {
    label: '@aegis/core loadRegistry + validateRegistry',
    args: (dir) => [path.join(here, 'validate-library.mjs'), dir],
  },
];

function requireBuilt(): void {
  for (const file of ['packages/core/dist/index.js', 'packages/cli/dist/index.js']) {
    if (!existsSync(path.join(root, file))) throw new Error(`${file} is missing: run \`npx tsc -b\` first.`);
  }
}

/** Heap held after loading: core's compact model, and every file's yaml Document for comparison. */
function measureHeap(dir: string): { model: string; documents: string } {
  const heap = (mode: string): string => {
    const cost = measureProcess(
      process.execPath,
      ['--expose-gc', path.join(here, 'heap-of-model.mjs'), dir, mode],
      root,
    );
    return /([\d.]+) MiB heap/.exec(cost.stdout)?.[1] ?? '?';
  };
  return { model: heap('model'), documents: heap('documents') };
}

/** Runs every contender once per round, interleaved, so a busy moment hits all of them alike. */
function measureSize(size: number): {
  size: number;
  results: { label: string; runs: ProcessCost[] }[];
  heap: { model: string; documents: string };
} {
  const dir = path.join(root, `bench/.out/validate-${size}`);
  generateRegistry(dir, size);
  const results = contenders.map((c) => ({ label: c.label, runs: [] as ProcessCost[] }));
  for (let round = 0; round < ROUNDS; round++) {
    contenders.forEach((contender, i) => {
      const cost = measureProcess(process.execPath, contender.args(dir), root);
      if (cost.status !== 0)
        throw new Error(`${contender.label} exited ${cost.status} on ${size} schemas:\n${cost.stdout.slice(0, 2000)}`);
      results[i]?.runs.push(cost);
      console.log(
        `${size} #${round + 1} ${contender.label}: ${cost.wall.toFixed(2)} s wall, ${cost.cpu?.toFixed(2) ?? '?'} s cpu`,
      );
    });
  }
  return { size, results, heap: measureHeap(dir) };
}

/** A figure, or a dash where it could not be measured (no GNU time for CPU and memory). */
function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

function report(measured: ReturnType<typeof measureSize>[]): string {
  const lines = [
    '## Validate (bench/validate)',
    '',
    `Generated registries (bench/validate/generate-registry.ts): each schema has 15 columns, 2 references, 2 indexes and a`,
    'version history; reference 1 points at the previous schema, so the registry is one reference chain as long as the registry.',
    `Each contender is a whole \`node\` process; ${ROUNDS} interleaved rounds, median shown. CPU = user + system seconds`,
    '(GNU time): on a shared machine it is the fairer figure, wall-clock also counts other processes.',
    '',
    '| schemas | contender | wall s | CPU s | × floor (wall) | × floor (CPU) | peak RSS MiB |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { size, results } of measured) {
    const floor = results[0];
    const floorWall = median(floor?.runs.map((r) => r.wall) ?? []);
    const floorCpu = median(floor?.runs.map((r) => r.cpu ?? NaN) ?? []);
    for (const { label, runs } of results) {
      const wall = median(runs.map((r) => r.wall));
      const cpu = median(runs.map((r) => r.cpu ?? NaN));
      const rss = median(runs.map((r) => r.maxRssMiB ?? NaN));
      const cells = [
        size.toLocaleString('en'),
        label,
        fixed(wall, 2),
        fixed(cpu, 2),
        fixed(wall / floorWall, 2),
        fixed(cpu / floorCpu, 2),
        fixed(rss, 0),
      ];
      lines.push(`| ${cells.join(' | ')} |`);
    }
  }
  lines.push(
    '',
    'Heap held once loaded (V8 heap after a full GC, bench/validate/heap-of-model.mjs): core keeps a compact model, no yaml Document.',
    '',
    '| schemas | compact model (MiB) | every file as a yaml Document (MiB) |',
    '| ---: | ---: | ---: |',
    ...measured.map(({ size, heap }) => `| ${size.toLocaleString('en')} | ${heap.model} | ${heap.documents} |`),
  );
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
  lines.push(
    '',
    'Notes:',
    '- The floor is `yaml.parse` (Document API + toJS), the least any YAML-based validator must do. Full validation adds',
    '  positions (LineCounter), the limits pre-check on the syntax tree, the JSON Schema, the compact model, every',
    '  check and the cross-file pass (references, Tarjan SCC for cycles); the cross-file pass is linear (maps only).',
    '- The JSON Schema validators are generated ahead of time (ajv standalone, src/json-schema/generated-validators.ts):',
    '  importing ajv and compiling the schema at start-up cost about 60 ms a process when measured, now nothing.',
    '- The gap between the CLI and the library rows is the CLI start-up and output, not validation (the CLI loads only the command it runs).',
  );
  lines.push(
    '',
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, load average ${load} at the end of the run.`,
    `Goal: full validation within 1.5× of the floor at 10,000 schemas.`,
    '',
  );
  return lines.join('\n');
}

requireBuilt();
const measured = SIZES.map(measureSize);
const text = report(measured);
writeFileSync(path.join(root, 'docs/benchmarks-validate.md'), text);
console.log(`\n${text}`);
