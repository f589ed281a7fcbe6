// bench/lsp: our language server against yaml-language-server 1.25 (validating the same files with the
// JSON Schema), in one run, on generated registries of 1,000 and 10,000 schemas. Measures, per server:
// start-up (spawn → first diagnostics of an opened file), and didChange → publishDiagnostics of the edited
// file, p50/p95; ours also until the cross-file diagnostics of that file show (the scan is done). yaml-language-server waits `validationDelayMs` (200 ms) before validating: its work is
// reported apart from that delay. Usage: pnpm bench:lsp [--sizes 1000,10000] [--edits 60]
import { readFile, writeFile, mkdir } from 'node:fs/promises';
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

const servers: ServerSpec[] = [
  {
    name: 'aegis-language-server',
    args: [path.join(repo, 'packages/language-server/bin/aegis-language-server.js'), '--stdio'],
    delayMs: 0,
    crossFile: true,
  },
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

async function rssMiB(pid: number | undefined): Promise<number> {
  const status = await readFile(`/proc/${pid ?? 0}/status`, 'utf8').catch(() => '');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

interface Result {
  server: string;
  size: number;
  startupMs: number;
  completeMs: number;
  p50: number;
  p95: number;
  workP50: number;
  workP95: number;
  rssMiB: number;
}

async function measure(server: ServerSpec, dir: string, size: number, edits: number): Promise<Result> {
  const index = Math.floor(size / 2);
  const file = path.join(dir, '.kiro/schemas', `${schemaName(index)}.yaml`);
  const uri = pathToFileURL(file).href;
  const t0 = performance.now();
  const client = LspTestClient.start({
    command: process.execPath,
    args: server.args,
    cwd: dir,
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
  const startupMs = (await first).at - t0;
  const completeMs = (await complete).at - t0;
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
  await client.stop();
  const p50 = percentile(latencies, 50);
  const p95 = percentile(latencies, 95);
  return {
    server: server.name,
    size,
    startupMs,
    completeMs,
    p50,
    p95,
    workP50: p50 - server.delayMs,
    workP95: p95 - server.delayMs,
    rssMiB: rss,
  };
}

const sizes = arg('sizes', '1000,10000').split(',').map(Number);
const edits = Number(arg('edits', '60'));
const out = path.join(repo, 'bench/.out');
const results: Result[] = [];
// The peer validates with the very JSON Schema core's ajv uses.
await mkdir(out, { recursive: true });
await writeFile(schemaFile, JSON.stringify(schemaFileJsonSchema));
for (const size of sizes) {
  const dir = path.join(out, `lsp-${size}`);
  await generateRegistry(dir, size);
  for (const server of servers) {
    const result = await measure(server, dir, size, edits);
    results.push(result);
    console.log(
      `${String(size).padStart(6)} schemas  ${server.name.padEnd(26)} start-up ${result.startupMs.toFixed(0).padStart(6)} ms` +
        (server.crossFile ? ` (cross-file ${result.completeMs.toFixed(0)} ms)` : '') +
        `  didChange→diagnostics p50 ${result.p50.toFixed(1)} ms p95 ${result.p95.toFixed(1)} ms` +
        `  (delay ${server.delayMs} ms, work p50 ${result.workP50.toFixed(1)} / p95 ${result.workP95.toFixed(1)} ms)  RSS ${result.rssMiB.toFixed(0)} MiB`,
    );
  }
  const [ours, peer] = results.slice(-2);
  if (ours && peer) {
    console.log(
      `${String(size).padStart(6)} schemas  ratio ours/peer work: p50 ${(ours.workP50 / peer.workP50).toFixed(2)}, p95 ${(ours.workP95 / peer.workP95).toFixed(2)}; goal < 50 ms p95: ${ours.p95 < 50 ? 'met' : 'NOT met'}`,
    );
  }
}
await mkdir(out, { recursive: true });
await writeFile(path.join(out, 'lsp-results.json'), `${JSON.stringify(results, null, 2)}\n`);
