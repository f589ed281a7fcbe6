/**
 * bench/bot (API): the indexing-service interface measured against floors in one run.
 *  1. API freeze-check latency: `GET /aegis/api/v1/branch-locks/check/main` (auth, store, JSON) vs the same
 *     server's `/healthz` (the HTTP floor) and vs `freeze.checkWrite` in process (the store floor).
 *  2. Switch window through the API: the lock-held window of `POST shadow-index/{id}/switch` (and the whole
 *     request) vs the LOCKED_FOR_WRITE window of an indexing start → complete done as fast as the API allows.
 *  3. Webhook-to-checks time with two replicas (deliveries alternating) vs one replica, on the same private
 *     Redis + PostgreSQL.
 * Run: npx tsx bench/bot/api-run.ts [--checks 300] [--switches 20] [--events 10]   (build first: npx tsc -b)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hashApiToken, startBot } from '@aegis/bot';
import type { RunningBot } from '@aegis/bot';
import { createGitRepo } from '../../test/helpers/git-repo.js';
import { FakeGitHub, testAppCredentials } from '../../test/helpers/fake-github/fake-github.js';
import { appEnv } from '../../test/helpers/fake-github/app-env.js';
import { deliver, pullRequestPayload } from '../../test/helpers/fake-github/webhooks.js';
import { exampleFiles } from '../../test/bot/harness.js';
import { PrivateRedis } from '../../test/bot/private-redis.js';
import { adminQuery, databaseUrl } from '../../test/helpers/postgres-admin.js';

const { values } = parseArgs({
  options: { checks: { type: 'string' }, switches: { type: 'string' }, events: { type: 'string' } },
});
const CHECKS = Number(values.checks ?? 300);
const SWITCHES = Number(values.switches ?? 20);
const EVENTS = Number(values.events ?? 10);
const REPO = { fullName: 'acme/registry', installationId: 77, defaultBranch: 'main' };
const TOKEN = 'bench-admin-token';

const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;
const ms = (x: number): string => `${x.toFixed(2)} ms`;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function api(bot: RunningBot, method: string, p: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${bot.url}/aegis/api/v1/${p}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (res.status >= 300 && res.status !== 423) throw new Error(`${method} ${p}: ${res.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

async function freezeCheck(bot: RunningBot): Promise<string[]> {
  const api_: number[] = [];
  const health: number[] = [];
  const store: number[] = [];
  const ref = { repo: REPO.fullName, branch: 'main' };
  // Alternate the three so that machine noise hits them alike.
  for (let i = 0; i < CHECKS; i++) {
    api_.push(await timed(() => api(bot, 'GET', 'branch-locks/check/main?resources=schema:users')));
    health.push(await timed(async () => (await fetch(`${bot.url}/healthz`)).text()));
    store.push(await timed(() => bot.bot.freeze.checkWrite(ref, ['schema:users'])));
  }
  return [
    `| API freeze check (GET branch-locks/check) | ${ms(pct(api_, 0.5))} | ${ms(pct(api_, 0.95))} | /healthz ${ms(pct(health, 0.5))} → ×${(pct(api_, 0.5) / pct(health, 0.5)).toFixed(1)}; checkWrite in process ${ms(pct(store, 0.5))} → ×${(pct(api_, 0.5) / pct(store, 0.5)).toFixed(1)} |`,
  ];
}

async function switchWindow(bot: RunningBot): Promise<string[]> {
  const held: number[] = [];
  const request: number[] = [];
  const frozen: number[] = [];
  for (let i = 0; i < SWITCHES; i++) {
    const tree = i.toString(16).padStart(40, 'a');
    const start = await api(bot, 'POST', 'shadow-index/start', {
      branch: 'main',
      index_type: 'search',
      tree_hash: tree,
    });
    const id = (start['shadow'] as { id: string }).id;
    await api(bot, 'POST', `shadow-index/${id}/complete`, { record_count: 1000, index_size_bytes: 1_000_000 });
    let out: Record<string, unknown> = {};
    request.push(
      await timed(async () => (out = await api(bot, 'POST', `shadow-index/${id}/switch`, { current_tree_hash: tree }))),
    );
    if (out['success'] !== true) throw new Error(`switch refused: ${JSON.stringify(out['errors'])}`);
    held.push(out['switch_duration_ms'] as number);
    // The freeze it replaces: LOCKED_FOR_WRITE from start to complete, with no indexing work at all.
    const t0 = performance.now();
    await api(bot, 'POST', 'branch-locks/indexing/main/start', { indexing_id: `idx-${i}` });
    await api(bot, 'POST', 'branch-locks/indexing/main/complete', { indexing_id: `idx-${i}` });
    frozen.push(performance.now() - t0);
  }
  return [
    `| switch: lock held (switch_duration_ms) | ${ms(pct(held, 0.5))} | ${ms(pct(held, 0.95))} | seed goal < 10 s |`,
    `| switch: whole API request | ${ms(pct(request, 0.5))} | ${ms(pct(request, 0.95))} | zero-work indexing freeze (start→complete over the API) ${ms(pct(frozen, 0.5))} → lock window ×${(pct(held, 0.5) / pct(frozen, 0.5)).toFixed(2)} of it |`,
  ];
}

async function webhookToChecks(
  replicas: RunningBot[],
  fake: FakeGitHub,
  repo: Awaited<ReturnType<typeof createGitRepo>>,
  first: number,
): Promise<number[]> {
  const times: number[] = [];
  const users = await repo.git('show', 'main:.kiro/schemas/users.yaml');
  for (let e = 0; e < EVENTS; e++) {
    const n = first + e;
    await repo.checkout('main');
    await repo.branch(`pr-${n}`);
    const headSha = await repo.commit(`edit ${n}`, {
      '.kiro/schemas/users.yaml': users.replace('version: 1.0.0', `version: 1.0.${n}`),
    });
    await repo.checkout('main');
    const pull = { number: n, headSha, headRef: `pr-${n}`, baseRef: 'main', body: 'Fixes #1', author: 'alice' };
    fake.state.setPull(REPO.fullName, pull);
    const target = replicas[e % replicas.length] as RunningBot;
    const t0 = performance.now();
    await deliver(`${target.url}/api/github/webhooks`, 'pull_request', pullRequestPayload('opened', pull, REPO), {
      secret: 'bench',
    });
    await fake.waitFor(() => fake.state.checkRuns.filter((c) => c.headSha === headSha).length >= 4, 60_000, 'checks');
    times.push(performance.now() - t0);
  }
  return times.slice(1); // the first event of a replica set warms mirrors and caches
}

const database = `aegis_bench_api_${process.pid}`;
const redis = await PrivateRedis.start();
await adminQuery(`CREATE DATABASE ${database}`);
const app = testAppCredentials();
const fake = await FakeGitHub.start(app);
const repo = await createGitRepo({ files: await exampleFiles() });
fake.addRepo(REPO.fullName, repo.dir);
fake.state.permissions.set('alice', 'write');
fake.state.teams.set('acme/identity', new Set(['alice']));
fake.state.teams.set('acme/devs', new Set(['alice']));
const data = mkdtempSync(path.join(tmpdir(), 'aegis-bench-api-'));
const env = (name: string): NodeJS.ProcessEnv => ({
  ...appEnv(fake, { secret: 'bench', dataDir: path.join(data, name) }),
  REDIS_URL: redis.url,
  DATABASE_URL: databaseUrl(database),
  AEGIS_DEFAULT_REPO: REPO.fullName,
  AEGIS_API_TOKENS: JSON.stringify([{ name: 'bench', roles: ['admin'], sha256: hashApiToken(TOKEN) }]),
});
const a = await startBot(env('a'));
const b = await startBot(env('b'));
const rows: string[] = [];
try {
  rows.push(...(await freezeCheck(a)));
  rows.push(...(await switchWindow(a)));
  const one = await webhookToChecks([a], fake, repo, 100);
  const two = await webhookToChecks([a, b], fake, repo, 200);
  rows.push(
    `| webhook → 4 checks, two replicas (alternating) | ${ms(pct(two, 0.5))} | ${ms(pct(two, 0.95))} | one replica ${ms(pct(one, 0.5))} → ×${(pct(two, 0.5) / pct(one, 0.5)).toFixed(2)} |`,
  );
  if (fake.unexpected().length) throw new Error(`unexpected GitHub calls: ${JSON.stringify(fake.unexpected())}`);
} finally {
  await b.close();
  await a.close();
  await fake.close();
  await repo.cleanup();
  rmSync(data, { recursive: true, force: true });
  await redis.stop();
  await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
}
console.log(
  `bench/bot api — ${CHECKS} freeze checks, ${SWITCHES} switches, ${EVENTS} events per replica set (Redis state, PostgreSQL audit)\n`,
);
console.log('| figure | p50 | p95 | side by side |');
console.log('| --- | ---: | ---: | --- |');
for (const r of rows) console.log(r);
