/**
 * bench/mirror part 5: issue #19's burst (200 PR events over 50 PRs in 5 repositories, `test/mirror/burst-plan.ts`)
 * on one replica, then on two sharing PostgreSQL and Redis, against the floor the write budget sets (writes
 * needed ÷ allowed rate). Reports where the time went: until the first check run, the span of the writes, the
 * pacer's waiting, the mirror's fetches and the process's CPU.
 */
import type { RunningBot } from '@aegis/bot';
import { REPO } from '../../test/bot/harness.js';
import type { Harness } from '../../test/bot/harness.js';
import {
  BUDGET,
  BURST_FLOOR_MS,
  BURST_WRITES,
  everyHeadChecked,
  headKeys,
  planBurst,
  PULLS_PER_REPO,
  REPOS,
  sendBurst,
} from '../../test/mirror/burst-plan.js';
import { startTwoReplicas } from '../../test/mirror/two-replicas.js';

const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

interface BurstRow {
  drained: number;
  firstWrite: number;
  lastWrite: number;
  refused: number;
  busiest: number;
  fetches: number;
  pacerWaited: number;
  cpu: number;
  superseded: number;
  /** Mean time from a write let through to its answer (the window counts from the answer). */
  answer: number;
}

async function oneBurst(h: Harness, bots: RunningBot[], tag: string): Promise<BurstRow & { cleanup(): Promise<void> }> {
  const { planned, repos } = await planBurst(h, tag);
  const installation = String(REPO.installationId);
  const arrivals = () => h.fake.writeLimit.writes.get(installation) ?? [];
  const before = { writes: arrivals().length, refused: h.fake.writeLimit.refused };
  const fetches = (): number => bots.reduce((n, b) => n + b.bot.mirror.fetches, 0);
  const waited = (): number => bots.reduce((n, b) => n + (b.pacer?.counters.waitedMs ?? 0), 0);
  const answered = (): number => bots.reduce((n, b) => n + (b.pacer?.counters.answeredMs ?? 0), 0);
  const [fetches0, waited0, answered0, cpu0] = [fetches(), waited(), answered(), process.cpuUsage()];
  const t0 = Date.now();
  await sendBurst(
    h,
    planned,
    bots.map((b) => b.url),
  );
  await everyHeadChecked(h, headKeys(planned));
  const drained = Date.now() - t0;
  const mine = arrivals().slice(before.writes);
  const cpu = process.cpuUsage(cpu0);
  const heads = new Set(headKeys(planned));
  const cancelled = h.fake.state.checkRuns.filter(
    (c) => c.conclusion === 'cancelled' && heads.has(`${c.repo}@${c.headSha}`),
  );
  return {
    drained,
    firstWrite: (mine[0] ?? t0) - t0,
    lastWrite: (mine.at(-1) ?? t0) - t0,
    refused: h.fake.writeLimit.refused - before.refused,
    busiest: h.fake.writeLimit.busiest(installation, BUDGET.windowMs),
    fetches: fetches() - fetches0,
    pacerWaited: waited() - waited0,
    cpu: (cpu.user + cpu.system) / 1000,
    superseded: cancelled.length / 4,
    answer: (answered() - answered0) / Math.max(1, mine.length),
    cleanup: async () => {
      for (const repo of repos) await repo.cleanup();
    },
  };
}

/** Part 5: the burst on one replica, then on two, each against the budget floor. */
export async function burstCost(): Promise<void> {
  console.log(
    `\n## 5. Burst: ${BURST_WRITES / 4} PR events over ${REPOS * PULLS_PER_REPO} PRs in ${REPOS} repositories, budget ${BUDGET.limit} writes / ${BUDGET.windowMs / 1000} s\n`,
  );
  const replicas = await startTwoReplicas('bench_burst', {
    AEGIS_MIRROR_CONCURRENCY: '2',
    AEGIS_WRITE_BUDGET: `${BUDGET.limit}/${BUDGET.windowMs}ms`,
  });
  const { h, second } = replicas;
  h.fake.writeLimit.windows = [BUDGET];
  const rows: [string, BurstRow][] = [];
  try {
    for (const [label, bots] of [
      ['one replica', [h.bot]],
      ['two replicas (shared PostgreSQL + Redis)', [h.bot, second]],
    ] as const) {
      const row = await oneBurst(h, [...bots], label.startsWith('one') ? 'one' : 'two');
      await row.cleanup();
      rows.push([label, row]);
    }
  } finally {
    await replicas.close();
  }
  console.log(
    '| replicas | drain | budget floor | ratio | first check run | writes span | refused | busiest 4 s | fetches | heads superseded | pacer waited (sum) | write → answer (mean) | CPU of the process |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [label, r] of rows)
    console.log(
      `| ${label} | ${s(r.drained)} | ${s(BURST_FLOOR_MS)} | **${(r.drained / BURST_FLOOR_MS).toFixed(2)}×** | ${s(r.firstWrite)} | ${s(r.lastWrite - r.firstWrite)} | ${r.refused} | ${r.busiest} | ${r.fetches} | ${r.superseded} | ${s(r.pacerWaited)} | ${r.answer.toFixed(0)} ms | ${s(r.cpu)} |`,
    );
}
