// bench/lsp: our language server — as `tsc -b` builds it, and as the extension bundles it (esbuild, what users
// run) — against yaml-language-server 1.25 (validating the same files with the JSON Schema), in one run, on
// generated registries of 1,000 and 10,000 schemas. Measures, per server: start-up (spawn → first diagnostics
// of an opened file; the first request's answer; the slowest answer while the scan runs; $/progress count; RSS
// and peak RSS), and didChange → publishDiagnostics of the edited file, p50/p95; ours also until the cross-file
// diagnostics of that file show and of the whole workspace, started cold (an empty cache across sessions) and
// warm (a second start on the unchanged workspace, reading the cache the first wrote), and first with every file read
// by yaml alone (`AEGIS_YAML_PARSER=yaml-only`, as before the subset reader). yaml-language-server waits `validationDelayMs`
// (200 ms) before validating: its work is reported apart from that delay. Last, per size, each of our servers
// against issue 18's goal figures (set for 10,000 schemas).
// Usage: pnpm bench:lsp [--sizes 1000,10000] [--edits 60]
import { execFileSync } from 'node:child_process';
import { readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { schemaFileJsonSchema } from '@aegis/core';
import { LspTestClient } from '../../test/lsp/lsp-test-client.js';
import { generateRegistry, schemaName, schemaText } from './generate-registry.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const PEER_DELAY_MS = 200;

interface ServerSpec {
  name: string;
  args: string[];
  /** Fixed wait before the server validates, reported apart from its work. */
  delayMs: number;
  /** Whether it reports cross-file diagnostics (start-up is then also timed until those show). */
  crossFile: boolean;
  configure?: (client: LspTestClient, dir: string) => Promise<void>;
  /**
   * Ours: the cache across sessions (`AEGIS_CACHE_DIR`) it starts with: `cold` an empty one, `warm` the one
   * the server before it wrote (a second start on the unchanged workspace).
   */
  cache?: 'cold' | 'warm';
  /** Variables added to the server's environment (`AEGIS_YAML_PARSER=yaml-only`: the reading before the subset reader). */
  env?: Record<string, string>;
}

const schemaFile = path.join(repo, 'bench/.out/schema-file.json');
const schemaUri = pathToFileURL(schemaFile).href;
// The schema store must be off (it would fetch a catalogue from the network) and the glob absolute.
const yamlSettings = (dir: string): object => ({
  validate: true,
  hover: false,
  completion: false,
  schemaStore: { enable: false },
  format: { enable: false },
  schemas: { [schemaUri]: [`${dir}/.kiro/schemas/t_*.yaml`] },
});

// What users run: the extension's esbuild bundle (dist/server.cjs beside its scan worker), built here.
const bundleDir = path.join(repo, 'bench/.out/extension');

const tscServer = [path.join(repo, 'packages/language-server/bin/aegis-language-server.js'), '--stdio'];
const bundleServer = [path.join(bundleDir, 'dist/server.cjs'), '--stdio'];
// Every file read by yaml alone, as before the subset reader (core's `parseYamlSubset`): the "before" rows.
const yamlOnly = { AEGIS_YAML_PARSER: 'yaml-only' };
const servers: ServerSpec[] = [
  {
    name: 'aegis-language-server yaml-only',
    args: tscServer,
    delayMs: 0,
    crossFile: true,
    cache: 'cold',
    env: yamlOnly,
  },
  {
    name: 'aegis-language-server yaml-only warm',
    args: tscServer,
    delayMs: 0,
    crossFile: true,
    cache: 'warm',
    env: yamlOnly,
  },
  { name: 'aegis-language-server', args: tscServer, delayMs: 0, crossFile: true, cache: 'cold' },
  { name: 'aegis-language-server warm', args: tscServer, delayMs: 0, crossFile: true, cache: 'warm' },
  {
    name: 'aegis-language-server bundle yaml-only',
    args: bundleServer,
    delayMs: 0,
    crossFile: true,
    cache: 'cold',
    env: yamlOnly,
  },
  {
    name: 'aegis-language-server bundle yaml-only warm',
    args: bundleServer,
    delayMs: 0,
    crossFile: true,
    cache: 'warm',
    env: yamlOnly,
  },
  { name: 'aegis-language-server bundle', args: bundleServer, delayMs: 0, crossFile: true, cache: 'cold' },
  { name: 'aegis-language-server bundle warm', args: bundleServer, delayMs: 0, crossFile: true, cache: 'warm' },
  {
    name: 'yaml-language-server 1.25',
    args: [
      path.join(path.dirname(require.resolve('yaml-language-server/package.json')), 'bin/yaml-language-server'),
      '--stdio',
    ],
    delayMs: PEER_DELAY_MS,
    crossFile: false,
    configure: async (client, dir) => {
      await client.connection.sendNotification('workspace/didChangeConfiguration', {
        settings: { yaml: yamlSettings(dir) },
      });
    },
  },
];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

async function rssMiB(pid: number | undefined, field = 'VmRSS'): Promise<number> {
  const status = await readFile(`/proc/${pid ?? 0}/status`, 'utf8').catch(() => '');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) / 1024;
}

/** CPU seconds the process (its threads included) has used: on a shared machine, beside the wall time. */
async function cpuSeconds(pid: number | undefined): Promise<number> {
  const stat = await readFile(`/proc/${pid ?? 0}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Hovers on the open file every 50 ms until `done` settles: the slowest answer while the scan runs. The first
 * request (a completion, sent as soon as the file's first diagnostics show) is timed apart.
 */
async function requestsDuring(client: LspTestClient, uri: string, done: Promise<unknown>): Promise<number[]> {
  let finished = false;
  void done.then(() => (finished = true));
  const times: number[] = [];
  while (!finished) {
    const sent = performance.now();
    await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 7 } });
    times.push(performance.now() - sent);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return times;
}

interface Result {
  server: string;
  size: number;
  /** The 1-minute load average when the server started (the machine is shared). */
  load: number;
  startupMs: number;
  completeMs: number;
  /** The first request (completion) sent once the opened file's first diagnostics show: its answer time. */
  firstAnswerMs: number;
  /** The slowest of the hovers sent every 50 ms until the cross-file diagnostics were complete. */
  maxAnswerMs: number;
  /** Spawn → a file far from the opened one shows its cross-file error (every file checked). */
  wholeMs: number;
  cpuAtWholeS: number;
  progress: number;
  peakRssMiB: number;
  p50: number;
  p95: number;
  workP50: number;
  workP95: number;
  rssMiB: number;
}

async function cacheWritten(dir: string): Promise<void> {
  for (let waited = 0; waited < 60_000; waited += 100) {
    const names = await readdir(dir).catch(() => [] as string[]);
    if (names.some((n) => n.endsWith('.jsonl'))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no load cache written under ${dir}`);
}

async function measure(server: ServerSpec, dir: string, size: number, edits: number): Promise<Result> {
  const index = Math.floor(size / 2);
  const file = path.join(dir, '.kiro/schemas', `${schemaName(index)}.yaml`);
  const uri = pathToFileURL(file).href;
  const cacheDir = path.join(dir, '..', `lsp-cache-${size}`);
  if (server.cache === 'cold') await rm(cacheDir, { recursive: true, force: true });
  // The server inherits it: each start reads (and after its scan writes) this cache.
  process.env.AEGIS_CACHE_DIR = cacheDir;
  const load = loadavg()[0] ?? NaN;
  const t0 = performance.now();
  const client = LspTestClient.start({
    command: process.execPath,
    args: server.args,
    cwd: dir,
    ...(server.env ? { env: server.env } : {}),
    configuration: (s) => (s === 'yaml' ? yamlSettings(dir) : {}),
  });
  await client.initialize(dir);
  await server.configure?.(client, dir);
  // Opened with an error both servers report (so the first non-empty list proves validation ran) and a
  // reference to a missing schema that only a cross-file check finds (ours: "complete" once it shows).
  const first = client.nextDiagnostics(uri, (d) => d.length > 0, 180_000);
  const complete = server.crossFile
    ? client.nextDiagnostics(uri, (d) => d.some((x) => x.code === 'unknown-schema'), 180_000)
    : first;
  const parent = schemaName(Math.floor((index - 1) / 2));
  await client.open(uri, schemaText(index, 'SOMETIMES').replace(`schema: ${parent}`, 'schema: t_missing'));
  const far = pathToFileURL(path.join(dir, '.kiro/schemas', `${schemaName(size - 1)}.yaml`)).href;
  const whole = server.crossFile
    ? client.nextDiagnostics(far, (d) => d.some((x) => x.code === 'unknown-schema'), 180_000)
    : complete;
  const startupMs = (await first).at - t0;
  const asked = performance.now();
  await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 7 } });
  const firstAnswerMs = performance.now() - asked;
  const during = await requestsDuring(client, uri, Promise.all([complete, whole]));
  const completeMs = (await complete).at - t0;
  const wholeMs = (await whole).at - t0;
  const cpuAtWholeS = await cpuSeconds(client.process.pid);
  const latencies: number[] = [];
  const warmup = 6;
  for (let k = 0; k < edits + warmup; k++) {
    const broken = k % 2 === 1;
    const next = client.nextDiagnostics(uri, (d) => (broken ? d.length > 0 : d.length === 0), 30_000);
    const sent = performance.now();
    await client.change(uri, k + 2, schemaText(index, broken ? 'SOMETIMES' : 'CASCADE'));
    const published = await next;
    if (k >= warmup) latencies.push(published.at - sent);
  }
  const rss = await rssMiB(client.process.pid);
  const peakRssMiB = await rssMiB(client.process.pid, 'VmHWM');
  // The cache is written after the scan, off the request queue: the warm start after this one reads it.
  if (server.cache === 'cold') await cacheWritten(path.join(cacheDir, 'language-server'));
  await client.stop();
  const p50 = percentile(latencies, 50);
  const p95 = percentile(latencies, 95);
  return {
    server: server.name,
    size,
    load,
    startupMs,
    completeMs,
    firstAnswerMs,
    maxAnswerMs: Math.max(firstAnswerMs, ...during),
    wholeMs,
    cpuAtWholeS,
    progress: client.progress.length,
    peakRssMiB,
    p50,
    p95,
    workP50: p50 - server.delayMs,
    workP95: p95 - server.delayMs,
    rssMiB: rss,
  };
}

/** A schema file of ~5 MiB (block columns, as people write them): issue 18's slow file. `k` varies its description. */
function bigSchema(k: number, invalid = false): string {
  const columns = Array.from(
    { length: 48_000 },
    (_, i) =>
      `  - name: col_${i}\n    type: VARCHAR(200)\n    nullable: true\n    description: Column ${i} of the big table`,
  );
  return `name: big\nowner: o\nversion: 1.0.0\ndescription: big ${k}\n${invalid ? 'bogus: 1\n' : ''}columns:\n${columns.join('\n')}\n`;
}

interface BigFileResult {
  server: string;
  load: number;
  mib: number;
  openMs: number;
  completionMs: number;
  lastEditMs: number;
  parses: number;
  peakRssMiB: number;
}

/**
 * Issue 18 item 3: ten keystrokes in a 5 MiB file sent back to back, then a completion on it. Times the open
 * (spawn excluded), the completion's answer, and the last edit's diagnostics (the last text has an error);
 * counts the file's publications after the open (one per parse: coalesced edits are skipped) and peak RSS.
 */
async function measureBigFile(server: ServerSpec, dir: string): Promise<BigFileResult> {
  const file = path.join(dir, '.kiro/schemas', 'big.yaml');
  const uri = pathToFileURL(file).href;
  const load = loadavg()[0] ?? NaN;
  const client = LspTestClient.start({ command: process.execPath, args: server.args, cwd: dir });
  await client.initialize(dir);
  await client.scanned(1, 180_000);
  const opened = client.nextDiagnostics(uri, undefined, 180_000);
  const t0 = performance.now();
  await client.open(uri, bigSchema(0));
  const openMs = (await opened).at - t0;
  const before = client.publications.length;
  const last = client.nextDiagnostics(uri, (d) => d.some((x) => x.code === 'invalid-field'), 180_000);
  const sent = performance.now();
  for (let k = 1; k <= 10; k++) await client.change(uri, k + 1, bigSchema(k, k === 10));
  const asked = performance.now();
  await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 4, character: 0 } });
  const completionMs = performance.now() - asked;
  const lastEditMs = (await last).at - sent;
  const parses = client.publications.slice(before).filter((p) => p.uri === uri).length;
  const peakRssMiB = await rssMiB(client.process.pid, 'VmHWM');
  await client.stop();
  const mib = bigSchema(0).length / 1024 / 1024;
  return { server: server.name, load, mib, openMs, completionMs, lastEditMs, parses, peakRssMiB };
}

/** Issue 18's goal figures (set for 10,000 schemas), each with how a run shows against it. */
const GOALS: { name: string; met: (r: Result) => boolean; shown: (r: Result) => string }[] = [
  { name: 'opened file ≤ 0.5 s', met: (r) => r.startupMs <= 500, shown: (r) => `${(r.startupMs / 1000).toFixed(2)} s` },
  { name: 'any answer ≤ 0.2 s', met: (r) => r.maxAnswerMs <= 200, shown: (r) => `${r.maxAnswerMs.toFixed(0)} ms` },
  { name: 'whole workspace ≤ 3 s', met: (r) => r.wholeMs <= 3000, shown: (r) => `${(r.wholeMs / 1000).toFixed(1)} s` },
  { name: 'peak RSS ≤ 250 MiB', met: (r) => r.peakRssMiB <= 250, shown: (r) => `${r.peakRssMiB.toFixed(0)} MiB` },
  { name: 'edit p95 ≤ 15 ms', met: (r) => r.p95 <= 15, shown: (r) => `${r.p95.toFixed(1)} ms` },
];

/** One line per server users run (not the yaml-only rows, which measure the reading before): each goal, met or not. */
function goalLines(size: number): string[] {
  return results
    .filter((r) => r.size === size && r.server.startsWith('aegis') && !r.server.includes('yaml-only'))
    .map(
      (r) =>
        `${String(size).padStart(6)} schemas  issue 18 goals  ${r.server.padEnd(33)} ` +
        GOALS.map((g) => `${g.name}: ${g.shown(r)} ${g.met(r) ? 'met' : 'NOT met'}`).join(' · '),
    );
}

const sizes = arg('sizes', '1000,10000').split(',').map(Number);
const edits = Number(arg('edits', '60'));
const out = path.join(repo, 'bench/.out');
const results: Result[] = [];
// The peer validates with the very JSON Schema core's ajv uses.
await mkdir(out, { recursive: true });
await writeFile(schemaFile, JSON.stringify(schemaFileJsonSchema));
execFileSync(process.execPath, [path.join(repo, 'extension/scripts/build.mjs'), '--out', bundleDir], {
  stdio: 'inherit',
});
for (const size of sizes) {
  const dir = path.join(out, `lsp-${size}`);
  await generateRegistry(dir, size);
  // The last schema names a missing one: only a check of the whole workspace finds it ("whole workspace").
  await writeFile(
    path.join(dir, '.kiro/schemas', `${schemaName(size - 1)}.yaml`),
    schemaText(size - 1).replace(/schema: t_\d+/, 'schema: t_nowhere'),
  );
  for (const server of servers) {
    const result = await measure(server, dir, size, edits);
    results.push(result);
    console.log(
      `${String(size).padStart(6)} schemas  ${server.name.padEnd(45)} load ${result.load.toFixed(1)}  start-up ${result.startupMs.toFixed(0).padStart(6)} ms` +
        (server.crossFile
          ? ` (cross-file ${result.completeMs.toFixed(0)} ms, whole workspace ${result.wholeMs.toFixed(0)} ms, server CPU ${result.cpuAtWholeS.toFixed(1)} s)`
          : '') +
        `  first answer ${result.firstAnswerMs.toFixed(0)} ms, slowest during start-up ${result.maxAnswerMs.toFixed(0)} ms, $/progress ${result.progress}` +
        `  didChange→diagnostics p50 ${result.p50.toFixed(1)} ms p95 ${result.p95.toFixed(1)} ms` +
        `  (delay ${server.delayMs} ms, work p50 ${result.workP50.toFixed(1)} / p95 ${result.workP95.toFixed(1)} ms)  RSS ${result.rssMiB.toFixed(0)} MiB (peak ${result.peakRssMiB.toFixed(0)})`,
    );
  }
  const ours = results.find((r) => r.size === size && r.server === 'aegis-language-server');
  const peer = results.find((r) => r.size === size && r.server.startsWith('yaml-language-server'));
  if (ours && peer) {
    console.log(
      `${String(size).padStart(6)} schemas  ratio ours/peer work: p50 ${(ours.workP50 / peer.workP50).toFixed(2)}, p95 ${(ours.workP95 / peer.workP95).toFixed(2)}; goal < 50 ms p95: ${ours.p95 < 50 ? 'met' : 'NOT met'}`,
    );
  }
  for (const line of goalLines(size)) console.log(line);
}
// The big file, in the smallest registry generated (its size is not the point), for the servers users run.
const bigFiles: BigFileResult[] = [];
const smallest = Math.min(...sizes);
for (const server of servers.filter((s) => s.cache === 'cold' && s.env === undefined)) {
  const r = await measureBigFile(server, path.join(out, `lsp-${smallest}`));
  bigFiles.push(r);
  console.log(
    `big file ${r.mib.toFixed(1)} MiB  ${server.name.padEnd(45)} load ${r.load.toFixed(1)}  open → diagnostics ${r.openMs.toFixed(0)} ms` +
      `  10 edits sent back to back, then completion answered in ${r.completionMs.toFixed(0)} ms` +
      `  last edit → its diagnostics ${r.lastEditMs.toFixed(0)} ms  parses after the open ${r.parses}  peak RSS ${r.peakRssMiB.toFixed(0)} MiB`,
  );
}
await mkdir(out, { recursive: true });
await writeFile(path.join(out, 'lsp-results.json'), `${JSON.stringify({ results, bigFiles }, null, 2)}\n`);
