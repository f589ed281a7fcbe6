/**
 * bench/giant-pr: how responsive the app stays while it judges a pull request that adds thousands of schema
 * files (issue 14 item 2). The app runs as its own process (`aegis bot`, PGlite, a bare mirror) against the
 * tests' fake GitHub; this process asks `/healthz` every 100 ms from delivery until the four checks are
 * published, and reports the worst and the 99th-percentile answer time, the answers slower than 2 s, and the
 * time from webhook to checks. Goal: no `/healthz` answer slower than 2 s at 8,000 files; a pull request over
 * the documented size is refused with a clear check result instead of judged.
 * Run: pnpm bench:giant-pr [-- --files 8000,20000 --base 10]   (build first: npx tsc -b)
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { git } from '../../test/helpers/git-repo.js';
import { FakeGitHub, testAppCredentials } from '../../test/helpers/fake-github/fake-github.js';
import { appEnv } from '../../test/helpers/fake-github/app-env.js';
import { deliver, pullRequestPayload } from '../../test/helpers/fake-github/webhooks.js';
import type { TestPull } from '../../test/helpers/fake-github/webhooks.js';
import { spawnBot } from '../../test/helpers/spawn-bot.js';

const { values } = parseArgs({ options: { files: { type: 'string' }, base: { type: 'string' } } });
const SIZES = (values.files ?? '800,8000').split(',').map(Number);
const BASE = Number(values.base ?? 10);
const REPO = { fullName: 'bench/registry', installationId: 1, defaultBranch: 'main' };
const SECRET = 'bench';

const name = (i: number): string => `t_${String(i).padStart(5, '0')}`;

/** Schema `i`, referencing schema 0 so that every added file depends on the base registry. */
function schemaText(i: number): string {
  const lines = [`name: ${name(i)}`, `owner: service-${i % 50}`, 'version: 1.0.0', 'columns:'];
  lines.push('  - { name: id, type: UUID, primary_key: true }', '  - { name: title, type: VARCHAR(200) }');
  if (i > 0) lines.push('  - { name: parent_id, type: UUID }', 'references:');
  if (i > 0) lines.push(`  - { schema: ${name(Math.floor((i - 1) / 2))}, column: id, foreign_key: parent_id }`);
  return `${lines.join('\n')}\n`;
}

async function makeRepo(files: number): Promise<{ dir: string; headSha: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'aegis-bench-giant-'));
  const schemas = path.join(dir, '.kiro', 'schemas');
  await git(dir, 'init', '-q', '-b', 'main');
  mkdirSync(schemas, { recursive: true });
  writeFileSync(path.join(dir, '.kiro', 'rbac.yaml'), 'roles: {}\nmembers: {}\nowners: {}\n');
  for (let i = 0; i < BASE; i++) writeFileSync(path.join(schemas, `${name(i)}.yaml`), schemaText(i));
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', 'registry');
  await git(dir, 'checkout', '-q', '-b', 'giant');
  for (let i = BASE; i < BASE + files; i++) writeFileSync(path.join(schemas, `${name(i)}.yaml`), schemaText(i));
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', 'many tables');
  return { dir, headSha: await git(dir, 'rev-parse', 'HEAD') };
}

interface Figures {
  files: number;
  checksMs: number;
  probes: number[];
  titles: string[];
}

/** Asks /healthz every 100 ms until `done()`; each figure is one answer's time (a timeout counts as its limit). */
async function probeHealth(url: string, done: () => boolean): Promise<number[]> {
  const times: number[] = [];
  while (!done()) {
    const t0 = performance.now();
    await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
    const ms = performance.now() - t0;
    times.push(ms);
    await new Promise((r) => setTimeout(r, Math.max(0, 100 - ms)));
  }
  return times;
}

async function measure(files: number): Promise<Figures> {
  const { dir, headSha } = await makeRepo(files);
  const data = mkdtempSync(path.join(tmpdir(), 'aegis-bench-giant-data-'));
  const app = testAppCredentials();
  const fake = await FakeGitHub.start(app);
  fake.addRepo(REPO.fullName, dir);
  fake.state.permissions.set('mallory', 'read');
  const bot = await spawnBot(appEnv(fake, { secret: SECRET, dataDir: data }));
  try {
    const pull: TestPull = { number: 1, headSha, headRef: 'giant', baseRef: 'main', body: '', author: 'mallory' };
    fake.state.setPull(REPO.fullName, pull);
    const published = (): boolean => fake.state.checkRuns.filter((c) => c.headSha === headSha).length >= 4;
    const t0 = performance.now();
    // The delivery answers when the app has handled it: probe meanwhile, and stop once the checks are out.
    const delivered = deliver(
      `${bot.url}/api/github/webhooks`,
      'pull_request',
      pullRequestPayload('opened', pull, REPO),
      {
        secret: SECRET,
      },
    ).catch((err: unknown) => err);
    const probes = await probeHealth(bot.url, published);
    const checksMs = performance.now() - t0;
    await delivered;
    const titles = fake.state.checkRuns.filter((c) => c.headSha === headSha).map((c) => `${c.name}: ${c.title}`);
    return { files, checksMs, probes, titles };
  } finally {
    await bot.stop();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  }
}

const quantile = (xs: number[], q: number): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))] ?? NaN;

console.log(`bench/giant-pr — a pull request adding N schema files to a ${BASE}-schema registry\n`);
console.log('| files added | webhook → 4 checks | /healthz probes | worst | p99 | slower than 2 s | aegis/validate |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | --- |');
for (const size of SIZES) {
  const f = await measure(size);
  const slow = f.probes.filter((ms) => ms > 2000).length;
  const validate = f.titles.find((t) => t.startsWith('aegis/validate')) ?? '?';
  console.log(
    `| ${size.toLocaleString('en')} | ${(f.checksMs / 1000).toFixed(1)} s | ${f.probes.length} | ${Math.max(...f.probes).toFixed(0)} ms | ${quantile(f.probes, 0.99).toFixed(0)} ms | ${slow} | ${validate} |`,
  );
}
