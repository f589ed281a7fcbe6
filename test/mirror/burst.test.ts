import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningBot } from '@aegis/bot';
import type { GitRepo } from '../helpers/git-repo.js';
import { REPO } from '../bot/harness.js';
import type { Harness } from '../bot/harness.js';
import {
  BUDGET,
  BURST_FLOOR_MS,
  BURST_WRITES,
  CHECKS,
  checksByHead,
  everyHeadChecked,
  headKeys,
  planBurst,
  PULLS_PER_REPO,
  PUSHES,
  REPOS,
  sendBurst,
} from './burst-plan.js';
import type { Planned } from './burst-plan.js';
import { startTwoReplicas } from './two-replicas.js';
import type { TwoReplicas } from './two-replicas.js';

/**
 * Every head of every PR has exactly one run of each check: none lost, none doubled. Each PR's newest head — what
 * its page shows — has all four judged and passing (an older head may be `cancelled` as superseded, never the newest).
 */
async function expectEveryCheck(h: Harness, planned: Planned[]): Promise<void> {
  const heads = headKeys(planned);
  expect(new Set(heads).size).toBe(REPOS * PULLS_PER_REPO * PUSHES);
  await everyHeadChecked(h, heads);
  const byHead = checksByHead(h);
  for (const head of heads) expect([head, (byHead.get(head) ?? []).sort()]).toEqual([head, CHECKS]);
  for (const { repo, pulls } of planned)
    for (const { number, headSha } of pulls.map((p) => p.at(-1)!)) {
      const runs = h.fake.state.checkRuns.filter((c) => c.repo === repo.fullName && c.headSha === headSha);
      const judged = runs.map((c) => `${c.name}: ${c.conclusion ?? c.status}`).sort();
      expect([`${repo.fullName}#${number}`, judged]).toEqual([
        `${repo.fullName}#${number}`,
        CHECKS.map((name) => `${name}: success`),
      ]);
    }
}

/**
 * No write was refused and no window of the installation's writes (as the fake counted them on arrival) held
 * more than the budget; returns the drain time against the floor (writes needed ÷ allowed rate) to report.
 */
function expectWithinBudget(h: Harness, startedAt: number): string {
  expect(h.fake.writeLimit.refused).toBe(0);
  expect(h.fake.writeLimit.busiest(String(REPO.installationId), BUDGET.windowMs)).toBeLessThanOrEqual(BUDGET.limit);
  const drained = Date.now() - startedAt;
  const ratio = (drained / BURST_FLOOR_MS).toFixed(2);
  return `${BURST_WRITES} writes drained in ${drained} ms; budget floor ${BURST_FLOOR_MS} ms (${ratio}×)`;
}

/**
 * Issue #19's burst as GitHub delivers it: each of the 200 pushes sends its `pull_request` event and its
 * `check_suite.requested`, the suite late (after the next push's events; on the other replica when there are
 * two): 400 deliveries deciding 200 heads, each once.
 */
describe('a burst of 200 PR events over 50 PRs and 5 repositories', () => {
  let replicas: TwoReplicas;
  let h: Harness;
  let second: RunningBot;
  const extra: GitRepo[] = [];
  beforeAll(async () => {
    replicas = await startTwoReplicas('burst', {
      AEGIS_MIRROR_CONCURRENCY: '2',
      AEGIS_WRITE_BUDGET: `${BUDGET.limit}/${BUDGET.windowMs}ms`,
    });
    ({ h, second } = replicas);
    h.fake.writeLimit.windows = [BUDGET];
  });
  afterAll(async () => {
    expect(h.fake.unexpected()).toEqual([]);
    await replicas.close();
    for (const repo of extra) await repo.cleanup();
  });

  it('on one replica: every head gets exactly its four checks within the write budget; two fetches at once at most', async ({
    annotate,
  }) => {
    const { planned, repos } = await planBurst(h, 'one');
    extra.push(...repos);
    const started = Date.now();
    await sendBurst(h, planned, [h.bot.url], { suites: true });
    await expectEveryCheck(h, planned);
    await annotate(expectWithinBudget(h, started));
    expect(h.bot.bot.mirror.peakConcurrency).toBeLessThanOrEqual(2);
  }, 900_000);

  it('on two replicas sharing PostgreSQL and Redis: the same, nothing lost or doubled, one budget between them', async ({
    annotate,
  }) => {
    const { planned, repos } = await planBurst(h, 'two');
    extra.push(...repos);
    const started = Date.now();
    await sendBurst(h, planned, [h.bot.url, second.url], { suites: true });
    await expectEveryCheck(h, planned);
    await annotate(expectWithinBudget(h, started));
  }, 900_000);
});
