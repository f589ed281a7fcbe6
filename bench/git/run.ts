/**
 * bench/git: reading a registry of N schema files at a ref (default 10,000) through `gitRefFileSource`
 * against the floor of `git cat-file --batch` over the same blobs alone (ids known in advance, output
 * drained, nothing decoded). Goal: ratio ≤ 1.3. Also shown, for scale: the whole load with parsing
 * (`loadRegistryAtRef`) and one `git show` per file, the naive way. Run: pnpm bench:git [-- --count 2000]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gitRefFileSource, loadRegistryAtRef } from '@aegis/git';

const { values } = parseArgs({ options: { count: { type: 'string' }, runs: { type: 'string' } } });
const COUNT = Number(values.count ?? 10_000);
const RUNS = Number(values.runs ?? 9);
const NAIVE_SAMPLE = Math.min(300, COUNT);

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'b',
      GIT_AUTHOR_EMAIL: 'b@b',
      GIT_COMMITTER_NAME: 'b',
      GIT_COMMITTER_EMAIL: 'b@b',
    },
  });

function schemaText(i: number): string {
  const name = `t_${String(i).padStart(5, '0')}`;
  const parent = i > 0 ? `t_${String(Math.floor((i - 1) / 2)).padStart(5, '0')}` : undefined;
  const lines = [
    `name: ${name}`,
    `owner: service-${i % 50}`,
    'version: 1.0.0',
    `description: Generated table ${i}`,
    'columns:',
  ];
  lines.push(
    '  - { name: id, type: UUID, nullable: false, primary_key: true }',
    '  - { name: title, type: VARCHAR(200), nullable: false }',
  );
  lines.push(
    '  - { name: amount, type: "DECIMAL(15,2)", nullable: true }',
    '  - { name: created_at, type: TIMESTAMP, nullable: false, default: CURRENT_TIMESTAMP }',
  );
  if (parent)
    lines.push(
      '  - { name: parent_id, type: UUID, nullable: false }',
      'references:',
      `  - { schema: ${parent}, column: id, foreign_key: parent_id, on_delete: CASCADE }`,
    );
  lines.push('indexes:', `  - { name: idx_${name}_created, columns: [created_at] }`);
  return `${lines.join('\n')}\n`;
}

function makeRepo(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'aegis-bench-git-'));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'gc.auto', '0'); // no background gc racing the explicit one below
  mkdirSync(path.join(dir, '.kiro', 'schemas'), { recursive: true });
  for (let i = 0; i < COUNT; i++)
    writeFileSync(path.join(dir, '.kiro', 'schemas', `t_${String(i).padStart(5, '0')}.yaml`), schemaText(i));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'registry');
  git(dir, 'gc', '-q'); // packed, as a clone would be
  return dir;
}

/** The floor: one cat-file --batch over the known blob ids, output drained. */
function catFileFloor(dir: string, ids: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: dir });
    let bytes = 0;
    child.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length));
    child.on('error', reject);
    child.on('close', () => resolve(bytes));
    child.stdin.end(ids.map((id) => `${id}\n`).join(''));
  });
}

async function ours(dir: string): Promise<number> {
  const source = await gitRefFileSource(dir, 'main');
  const contents = await source.readMany(await source.list());
  source.close();
  return contents.reduce((n, c) => n + c.length, 0);
}

/** The alternative that needs a checkout: reading the same files from the working tree, 64 at a time. */
async function fromDisk(dir: string): Promise<number> {
  const folder = path.join(dir, '.kiro', 'schemas');
  const names = readdirSync(folder);
  let bytes = 0;
  for (let i = 0; i < names.length; i += 64) {
    const batch = await Promise.all(names.slice(i, i + 64).map((n) => readFile(path.join(folder, n))));
    bytes += batch.reduce((sum, b) => sum + b.length, 0);
  }
  return bytes;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  let dir = '';
  try {
    dir = makeRepo();
    const ids = git(dir, 'ls-tree', '-r', '--format=%(objectname)', 'main', '--', '.kiro/schemas').trim().split('\n');
    await catFileFloor(dir, ids); // warm the page cache for both sides alike
    await ours(dir);
    const floor: number[] = [];
    const mine: number[] = [];
    // Interleaved, alternating which goes first, so a slow moment on this shared machine hits both sides.
    for (let r = 0; r < RUNS; r++) {
      if (r % 2 === 0) floor.push(await time(() => catFileFloor(dir, ids)));
      mine.push(await time(() => ours(dir)));
      if (r % 2 === 1) floor.push(await time(() => catFileFloor(dir, ids)));
    }
    const disk: number[] = [];
    for (let r = 0; r < 3; r++) disk.push(await time(() => fromDisk(dir)));
    const load = median(await Promise.all([0].map(() => time(() => loadRegistryAtRef(dir, 'main')))));
    const paths = git(dir, 'ls-tree', '-r', '--name-only', 'main', '--', '.kiro/schemas')
      .trim()
      .split('\n')
      .slice(0, NAIVE_SAMPLE);
    const naive = await time(async () => {
      for (const p of paths) execFileSync('git', ['show', `main:${p}`], { cwd: dir });
    });
    const [f, m] = [median(floor), median(mine)];
    const rows = [
      ['`git cat-file --batch` over the blobs (floor)', f],
      ['`gitRefFileSource`: resolve ref, walk trees, read all files (one cat-file process)', m],
      ['peer: the same files read from a checkout on disk (`fs.readFile`, 64 at a time)', median(disk)],
      ['`loadRegistryAtRef`: the same plus parsing every file (info)', load],
      [
        `one \`git show\` per file (naive; ${NAIVE_SAMPLE} files timed, scaled to ${COUNT})`,
        (naive * COUNT) / NAIVE_SAMPLE,
      ],
    ] as const;
    console.log(
      `bench/git — ${COUNT} schema files at a ref, median of ${RUNS} interleaved runs, node ${process.version}, git ${git(dir, '--version').trim().replace('git version ', '')}\n`,
    );
    console.log('| what | ms | vs floor |\n| --- | ---: | ---: |');
    for (const [what, ms] of rows) console.log(`| ${what} | ${ms.toFixed(1)} | ${(ms / f).toFixed(2)}× |`);
    const best = Math.min(...mine) / Math.min(...floor);
    // Each run's two measurements sit side by side in time, so their ratio cancels most of the machine's load.
    const paired = median(mine.map((ms, i) => ms / (floor[i] ?? NaN)));
    console.log(
      `\nratio gitRefFileSource / floor: ${paired.toFixed(2)} (median of per-run ratios), ${(m / f).toFixed(2)} (ratio of medians), ${best.toFixed(2)} (best runs); goal ≤ 1.3`,
    );
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
