import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, startApiHarness, TOKENS } from '../api/api-harness.js';
import { Random } from '../helpers/random.js';
import { rawRequest } from '../helpers/raw-http.js';
import type { RawAnswer } from '../helpers/raw-http.js';
import { spawnBot, type SpawnedBot } from '../helpers/spawn-bot.js';
import { fuzzRequest } from './fuzz-requests.js';
import type { FuzzRequest } from './fuzz-requests.js';
import { SECRET, REPO, type Harness } from './harness.js';

/** Replay a failure with `AEGIS_FUZZ_SEED=<seed> npx vitest run test/bot/fuzz.test.ts` (AEGIS_FUZZ_COUNT: how many). */
const SEED = Number(process.env['AEGIS_FUZZ_SEED'] ?? randomInt(2 ** 31));
const COUNT = Number(process.env['AEGIS_FUZZ_COUNT'] ?? 2000);
const PARALLEL = 8;
const REPOS = [REPO.fullName, 'acme/other', 'evil/x'];

/** What an answer must never show: stacks, source paths, error class names, socket errors, SQL, internal URLs. */
const INTERNAL_TEXT = [
  /\n\s+at \S+ \(/,
  /node_modules|\/work\/|\/tmp\/|\.[jt]s:\d+/,
  /\b(?:TypeError|ReferenceError|SyntaxError|RangeError|AggregateError|HttpError|RequestError)\b/,
  /\bE(?:CONNREFUSED|CONNRESET|PIPE|TIMEDOUT)\b/,
  /\b(?:SELECT .* FROM|INSERT INTO|DELETE FROM|aegis_audit)\b/,
  /Cannot read propert|is not a function|undefined \(reading/,
  /https?:\/\/(?:127\.0\.0\.1|localhost)/,
];

/** Branches (state, live lock ids) and shadow builds (state) of the fuzzed repositories, by key. */
async function snapshot(url: string): Promise<Map<string, string>> {
  const state = new Map<string, string>();
  for (const repo of REPOS) {
    const read = () => callApi(url, TOKENS.admin, 'GET', `branch-locks/dashboard?repo=${encodeURIComponent(repo)}`);
    let answer = await read();
    // The fuzz may have read this dashboard a moment ago: one read per token a half second (poll-limit.ts).
    if (answer.status === 429) answer = await new Promise((resolve) => setTimeout(resolve, 1000)).then(read);
    expect(answer.status).toBe(200);
    const data = answer.body as unknown as {
      branches: { repo: string; branch: string; state: string; locks: { id: string }[] }[];
      shadows: { repo: string; branch: string; id: string; state: string }[];
    };
    for (const b of data.branches)
      state.set(
        `${b.repo}\0${b.branch}`,
        `${b.state} ${b.locks
          .map((l) => l.id)
          .sort()
          .join(',')}`,
      );
    for (const s of data.shadows) state.set(`${s.repo}\0${s.branch}\0${s.id}`, s.state);
  }
  return state;
}

/** Every audit record of the fuzzed repositories since `since`, as `repo\0branch` keys. */
async function auditedBranches(url: string, since: string): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const repo of REPOS) {
    let cursor = '';
    do {
      const q = `repo=${encodeURIComponent(repo)}&since=${since}&limit=500${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await callApi(url, TOKENS.admin, 'GET', `audit?${q}`);
      expect(page.status).toBe(200);
      const body = page.body as { records: { repo: string; branch: string }[]; next_cursor?: string | null };
      for (const r of body.records) keys.add(`${r.repo}\0${r.branch}`);
      cursor = body.next_cursor ? encodeURIComponent(body.next_cursor) : '';
    } while (cursor);
  }
  return keys;
}

interface Finding {
  request: FuzzRequest;
  answer: RawAnswer;
  problem: string;
}

function judge(request: FuzzRequest, answer: RawAnswer): string | undefined {
  if (answer.status === 0) return 'no HTTP answer';
  // Everything the webhook path says lands in GitHub's delivery log; a 5xx anywhere is read by whoever caused it.
  if (answer.status < 500 && request.kind !== 'webhook') return undefined;
  const leak = INTERNAL_TEXT.find((re) => re.test(answer.body));
  return leak ? `internal text (${String(leak)})` : undefined;
}

describe(`fuzz: ${COUNT} random requests and deliveries to a spawned app (AEGIS_FUZZ_SEED=${SEED})`, () => {
  let h: Harness;
  let bot: SpawnedBot;

  // Two app start-ups (the harness's and the spawned one) take most of a minute on a loaded 2-core machine.
  beforeAll(async () => {
    console.log(`fuzz seed ${SEED} — replay: AEGIS_FUZZ_SEED=${SEED} npx vitest run test/bot/fuzz.test.ts`);
    h = await startApiHarness();
    bot = await spawnBot({ ...h.replicaEnv('fuzz'), LOG_LEVEL: 'error' });
    // Some state for the fuzz to change (or fail to): a write lock from an indexing run on main.
    const started = await callApi(bot.url, TOKENS.indexer, 'POST', 'branch-locks/indexing/main/start', {});
    expect(started.status).toBe(201);
  }, 180_000);
  afterAll(async () => {
    await bot?.stop();
    await h?.close();
  }, 120_000);

  it('stays healthy, answers without internal text, and changes nothing without an audit record', async () => {
    const random = new Random(SEED);
    const targets = { secret: SECRET, tokens: Object.values(TOKENS), repo: REPO, repos: REPOS };
    const requests = Array.from({ length: COUNT }, () => fuzzRequest(random, targets));
    const before = await snapshot(bot.url);
    const since = new Date(Date.now() - 1000).toISOString();
    const findings: Finding[] = [];
    const statuses = new Map<number, number>();
    let slowestHealth = 0;
    let done = false;
    const health = (async () => {
      while (!done) {
        const t0 = Date.now();
        const answer = await rawRequest(bot.url, { method: 'GET', target: '/healthz' }, 10_000);
        slowestHealth = Math.max(slowestHealth, Date.now() - t0);
        if (answer.status !== 200) findings.push({ request: requests[0]!, answer, problem: 'unhealthy' });
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    const t0 = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < requests.length) {
          const request = requests[next++]!;
          const answer = await rawRequest(bot.url, request).catch((error: unknown): RawAnswer => ({
            status: 0,
            head: String(error),
            body: '',
          }));
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          const problem = judge(request, answer);
          if (problem) findings.push({ request, answer, problem });
        }
      }),
    );
    done = true;
    await health;
    const seconds = (Date.now() - t0) / 1000;
    console.log(
      `fuzz seed ${SEED}: ${COUNT} requests in ${seconds.toFixed(1)} s, statuses ${JSON.stringify(Object.fromEntries(statuses))}, slowest /healthz ${slowestHealth} ms`,
    );
    const shown = findings.slice(0, 5).map((f) => ({
      problem: f.problem,
      request: `${f.request.method} ${f.request.target} ${f.request.body.toString('utf8').slice(0, 300)}`,
      answer: `${f.answer.status} ${f.answer.head.slice(0, 200)} ${f.answer.body.slice(0, 300)}`,
    }));
    expect(shown, `seed ${SEED}`).toEqual([]);
    expect(bot.child.exitCode, bot.output().slice(-2000)).toBeNull();
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);

    // Every branch or shadow build whose state or locks differ has an audit record on its branch since the start.
    const after = await snapshot(bot.url);
    const audited = await auditedBranches(bot.url, since);
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
    const unaudited = changed.filter((k) => !audited.has(k.split('\0').slice(0, 2).join('\0')));
    console.log(`fuzz seed ${SEED}: ${changed.length} branch/shadow changes, ${audited.size} audited branches`);
    expect(unaudited.map((k) => `${k.replace(/\0/g, ' ')}: ${before.get(k)} → ${after.get(k)}`)).toEqual([]);
  }, 150_000);
});
