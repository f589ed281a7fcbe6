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
import { startBot } from '@aegis/bot';
import { git } from '../../test/helpers/git-repo.js';
import { FakeGitHub, testAppCredentials } from '../../test/helpers/fake-github/fake-github.js';
import { deliver, pullRequestPayload } from '../../test/helpers/fake-github/webhooks.js';
import type { TestPull } from '../../test/helpers/fake-github/webhooks.js';

const { values } = parseArgs({
  options: { sizes: { type: 'string' }, events: { type: 'string' }, throttle: { type: 'boolean' } },
});
const SIZES = (values.sizes ?? '10,10000').split(',').map(Number);
const EVENTS = Number(values.events ?? 5);
const REPO = { fullName: 'bench/registry', installationId: 1, defaultBranch: 'main' };
const SECRET = 'bench';
const FLOOR = 4;

const name = (i: number): string => `t_${String(i).padStart(5, '0')}`;

function schemaText(i: number, version = '1.0.0', note = ''): string {
  const lines = [
    `name: ${name(i)}`,
    `owner: service-${i % 50}`,
    `version: ${version}`,
    `description: Generated table ${i}${note}`,
    'columns:',
  ];
  lines.push(
    '  - { name: id, type: UUID, nullable: false, primary_key: true }',
    '  - { name: title, type: VARCHAR(200), nullable: false }',
  );
  if (i > 0) {
    lines.push('  - { name: parent_id, type: UUID, nullable: false }', 'references:');
    lines.push(
      `  - { schema: ${name(Math.floor((i - 1) / 2))}, column: id, foreign_key: parent_id, on_delete: CASCADE }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const RBAC = `roles:
  admin: { permissions: ["*"] }
  developer: { permissions: [schema:read, schema:write, schema:create, branch:lock, branch:unlock] }
members:
  "@bench/platform": [admin]
  "@bench/devs": [developer]
owners:
  service-1: ["@bench/devs"]
`;

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
  const data = mkdtempSync(path.join(tmpdir(), 'aegis-bench-bot-data-'));
  const app = testAppCredentials();
  const fake = await FakeGitHub.start(app);
  fake.addRepo(REPO.fullName, dir);
  fake.state.permissions.set('alice', 'write');
  fake.state.teams.set('bench/devs', new Set(['alice']));
  const bot = await startBot({
    APP_ID: String(app.appId),
    PRIVATE_KEY: app.privateKey,
    WEBHOOK_SECRET: SECRET,
    PORT: '0',
    GHE_HOST: fake.url.replace('http://', ''),
    GHE_PROTOCOL: 'http',
    AEGIS_DATA_DIR: path.join(data, 'db'),
    AEGIS_MIRROR_DIR: path.join(data, 'mirrors'),
    AEGIS_GIT_URL: fake.gitUrlTemplate,
    LOG_LEVEL: 'fatal',
    ...(values.throttle ? {} : { AEGIS_GITHUB_THROTTLE: 'off' }),
  });
  const events: EventFigures[] = [];
  try {
    await git(dir, 'checkout', '-q', '-b', 'feature');
    for (let e = 0; e <= EVENTS; e++) {
      writeFileSync(
        path.join(dir, '.kiro', 'schemas', `${name(1)}.yaml`),
        schemaText(1, `1.0.${e + 1}`, ` (edit ${e})`),
      );
      await git(dir, 'commit', '-q', '-am', `edit ${e}`);
      const headSha = await git(dir, 'rev-parse', 'HEAD');
      const pull: TestPull = {
        number: 1,
        headSha,
        headRef: 'feature',
        baseRef: 'main',
        body: 'Fixes #1',
        author: 'alice',
      };
      fake.state.setPull(REPO.fullName, pull);
      const calls0 = fake.apiCalls().length;
      const fetches0 = bot.bot.mirror.fetches;
      const parsed0 = bot.bot.cache.parsed;
      const t0 = performance.now();
      await deliver(
        `${bot.url}/api/github/webhooks`,
        'pull_request',
        pullRequestPayload(e === 0 ? 'opened' : 'synchronize', pull, REPO),
        { secret: SECRET },
      );
      await fake.waitFor(
        () => fake.state.checkRuns.filter((c) => c.headSha === headSha).length >= 4,
        600_000,
        'checks',
      );
      const ms = performance.now() - t0;
      const calls = fake.apiCalls().slice(calls0);
      const failed = fake.state.checkRuns
        .filter((c) => c.headSha === headSha && c.conclusion !== 'success')
        .map((c) => `${c.name}: ${c.title}`);
      if (failed.length) throw new Error(`unexpected failing checks: ${failed.join('; ')}`);
      events.push({
        calls: calls.length,
        byRoute: calls.map((c) => `${c.method} ${c.path.replace(/\d+/g, 'N')}`),
        fetches: bot.bot.mirror.fetches - fetches0,
        parsed: bot.bot.cache.parsed - parsed0,
        ms,
      });
    }
    if (fake.unexpected().length) throw new Error(`unexpected GitHub calls: ${JSON.stringify(fake.unexpected())}`);
  } finally {
    await bot.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
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
