/**
 * bench/bot: GitHub API calls per pull-request event and webhook-to-checks time, at 10 and at 10,000 schemas,
 * side by side in one run. The app runs for real (`startBot`, Probot over HTTP, PGlite, a bare mirror) against
 * the fake GitHub of the tests backed by a real git repository. Floor: the 4 check runs an event must create.
 * Goal: calls per event do not grow with the registry (ratio 10,000 / 10 = 1.0) and stay ≤ 8.
 * Run: pnpm bench:bot [-- --sizes 10,10000 --events 5 --throttle]   (build first: npx tsc -b)
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { git } from '../../test/helpers/git-repo.js';
import { BenchApp } from '../mirror/bot-events.js';
import { RBAC, schemaText } from '../mirror/fixtures.js';

const { values } = parseArgs({
  options: { sizes: { type: 'string' }, events: { type: 'string' }, throttle: { type: 'boolean' } },
});
const SIZES = (values.sizes ?? '10,10000').split(',').map(Number);
const EVENTS = Number(values.events ?? 5);
const REPO = 'bench/registry';
const FLOOR = 4;

const name = (i: number): string => `t_${String(i).padStart(5, '0')}`;

async function makeRepo(count: number): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'aegis-bench-bot-'));
  await git(dir, 'init', '-q', '-b', 'main');
  mkdirSync(path.join(dir, '.kiro', 'schemas'), { recursive: true });
  writeFileSync(path.join(dir, '.kiro', 'rbac.yaml'), RBAC);
  for (let i = 0; i < count; i++) writeFileSync(path.join(dir, '.kiro', 'schemas', `${name(i)}.yaml`), schemaText(i));
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', 'registry');
  return dir;
}

interface EventFigures {
  calls: number;
  byRoute: string[];
  fetches: number;
  parsed: number;
  ms: number;
}

async function measure(count: number): Promise<{ cold: EventFigures; warm: EventFigures[] }> {
  const dir = await makeRepo(count);
  const app = await BenchApp.start({ [REPO]: dir }, values.throttle ? { AEGIS_GITHUB_THROTTLE: 'on' } : {});
  const events: EventFigures[] = [];
  try {
    for (let e = 0; e <= EVENTS; e++) {
      const calls0 = app.fake.apiCalls().length;
      const fetches0 = app.bot.bot.mirror.fetches;
      const parsed0 = app.bot.bot.cache.parsed;
      const ms = await app.event(REPO, dir);
      const calls = app.fake.apiCalls().slice(calls0);
      events.push({
        calls: calls.length,
        byRoute: calls.map((c) => `${c.method} ${c.path.replace(/\d+/g, 'N')}`),
        fetches: app.bot.bot.mirror.fetches - fetches0,
        parsed: app.bot.bot.cache.parsed - parsed0,
        ms,
      });
    }
    const unexpected = app.fake.unexpected();
    if (unexpected.length) throw new Error(`unexpected GitHub calls: ${JSON.stringify(unexpected)}`);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const [cold, ...warm] = events as [EventFigures, ...EventFigures[]];
  return { cold, warm };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const results = new Map<number, Awaited<ReturnType<typeof measure>>>();
for (const size of SIZES) results.set(size, await measure(size));

console.log(
  `bench/bot — per pull-request event (${EVENTS} warm events after the first; write throttle ${values.throttle ? 'on' : 'off'})\n`,
);
console.log(
  '| schemas | API calls, first event | API calls, later events | floor | git fetches / event | files parsed, later events | webhook→4 checks, first | webhook→4 checks, later (median) |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [size, { cold, warm }] of results) {
  const warmCalls = median(warm.map((w) => w.calls));
  console.log(
    `| ${size.toLocaleString('en')} | ${cold.calls} | ${warmCalls} | ${FLOOR} | ${median(warm.map((w) => w.fetches))} | ${median(warm.map((w) => w.parsed))} (first: ${cold.parsed}) | ${cold.ms.toFixed(0)} ms | ${median(warm.map((w) => w.ms)).toFixed(0)} ms |`,
  );
}
const [small, large] = SIZES.map((s) => results.get(s));
if (small && large) {
  const ratio = median(large.warm.map((w) => w.calls)) / median(small.warm.map((w) => w.calls));
  console.log(
    `\nAPI calls per later event, ${SIZES[1]} vs ${SIZES[0]} schemas: ratio ${ratio.toFixed(2)} (goal 1.00, ≤ 8 calls)`,
  );
  console.log(
    `Time per later event, ${SIZES[1]} vs ${SIZES[0]}: ratio ${(median(large.warm.map((w) => w.ms)) / median(small.warm.map((w) => w.ms))).toFixed(1)}`,
  );
}
console.log(`\nFirst event's calls at ${SIZES[0]}: ${results.get(SIZES[0] ?? 0)?.cold.byRoute.join(', ')}`);
console.log(`Later event's calls at ${SIZES[0]}: ${results.get(SIZES[0] ?? 0)?.warm[0]?.byRoute.join(', ')}`);
