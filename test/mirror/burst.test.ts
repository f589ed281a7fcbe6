import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningBot } from '@aegis/bot';
import { createGitRepo } from '../helpers/git-repo.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { deliver, pullRequestPayload } from '../helpers/fake-github/webhooks.js';
import type { TestPull, TestRepoRef } from '../helpers/fake-github/webhooks.js';
import { exampleFiles, REPO, SECRET } from '../bot/harness.js';
import type { Harness } from '../bot/harness.js';
import { startTwoReplicas } from './two-replicas.js';
import type { TwoReplicas } from './two-replicas.js';

const REPOS = 5;
const PULLS_PER_REPO = 10;
const PUSHES = 4;
const CHECKS = ['aegis/audit', 'aegis/freeze', 'aegis/rbac', 'aegis/validate'];
/** The installation's write budget, scaled down from GitHub's so the test is bound by it yet short. */
const BUDGET = { limit: 40, windowMs: 4000 };

interface Planned {
  repo: TestRepoRef;
  pulls: TestPull[][];
}

/** Five repositories with ten PRs each, every PR with four heads (opened, then three pushes): 200 events. */
async function plan(h: Harness, tag: string): Promise<{ planned: Planned[]; repos: GitRepo[] }> {
  const planned: Planned[] = [];
  const repos: GitRepo[] = [];
  for (let r = 0; r < REPOS; r++) {
    const repo: TestRepoRef = { ...REPO, fullName: `acme/burst-${tag}-${r}` };
    const git = r === 0 ? h.repo : await createGitRepo({ files: await exampleFiles() });
    if (r > 0) repos.push(git);
    h.fake.addRepo(repo.fullName, git.dir);
    const users = await git.git('show', 'main:.kiro/schemas/users.yaml');
    const pulls: TestPull[][] = [];
    for (let p = 0; p < PULLS_PER_REPO; p++) {
      const number = 100 + p;
      await git.checkout('main');
      await git.branch(`burst-${tag}-${number}`);
      const heads: TestPull[] = [];
      for (let push = 0; push < PUSHES; push++) {
        const text = users
          .replace('version: 1.0.0', `version: 1.0.${push + 1}`)
          .replace('Display name', `Name ${p}.${push}`);
        // The repository in the message keeps heads apart: five repositories built from the same files within
        // one second would otherwise share every commit id (GitHub keys check runs by repository and commit).
        const message = `PR ${number} push ${push} in ${repo.fullName}`;
        const headSha = await git.commit(message, { '.kiro/schemas/users.yaml': text });
        heads.push({
          number,
          headSha,
          headRef: `burst-${tag}-${number}`,
          baseRef: 'main',
          body: `Fixes #${number}`,
          author: 'alice',
        });
      }
      pulls.push(heads);
    }
    await git.checkout('main');
    planned.push({ repo, pulls });
  }
  return { planned, repos };
}

/** Sends every event, PRs interleaved, each PR's in order, up to 25 deliveries in flight over `urls`. */
async function burst(h: Harness, planned: Planned[], urls: string[]): Promise<void> {
  const events: { repo: TestRepoRef; pull: TestPull; action: string }[] = [];
  for (let push = 0; push < PUSHES; push++)
    for (const { repo, pulls } of planned)
      for (const heads of pulls)
        events.push({ repo, pull: heads[push]!, action: push === 0 ? 'opened' : 'synchronize' });
  let next = 0;
  const worker = async (w: number): Promise<void> => {
    for (let i = next++; i < events.length; i = next++) {
      const { repo, pull, action } = events[i]!;
      h.fake.state.setPull(repo.fullName, pull);
      const url = `${urls[(i + w) % urls.length]!}/api/github/webhooks`;
      const res = await deliver(url, 'pull_request', pullRequestPayload(action, pull, repo), { secret: SECRET });
      if (res.status >= 300) throw new Error(`delivery ${i} answered ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: 25 }, (_, w) => worker(w)));
}

/** The names of the check runs on each head, by repository and commit (GitHub keeps check runs per repository). */
function checksByHead(h: Harness): Map<string, string[]> {
  const byHead = new Map<string, string[]>();
  for (const c of h.fake.state.checkRuns) {
    const key = `${c.repo}@${c.headSha}`;
    byHead.set(key, [...(byHead.get(key) ?? []), c.name]);
  }
  return byHead;
}

/** Every head of every PR has exactly one run of each check: none lost, none doubled. */
async function expectEveryCheck(h: Harness, planned: Planned[]): Promise<void> {
  const heads = planned.flatMap(({ repo, pulls }) => pulls.flat().map((pull) => `${repo.fullName}@${pull.headSha}`));
  expect(new Set(heads).size).toBe(REPOS * PULLS_PER_REPO * PUSHES);
  // Waits until every head has each of its four (not for a total, where one doubled run could hide a missing one).
  const complete = (names: string[] = []): boolean => CHECKS.every((name) => names.includes(name));
  await h.fake.waitFor(
    () => {
      const byHead = checksByHead(h);
      return heads.every((head) => complete(byHead.get(head)));
    },
    600_000,
    'four checks on every head',
  );
  const byHead = checksByHead(h);
  for (const head of heads) expect([head, (byHead.get(head) ?? []).sort()]).toEqual([head, CHECKS]);
  for (const { repo, pulls } of planned)
    for (const heads of pulls) {
      const newest = h.fake.state.checkRuns.filter(
        (c) => c.repo === repo.fullName && c.headSha === heads.at(-1)!.headSha && c.name === 'aegis/validate',
      );
      expect(newest.at(-1)?.conclusion).toBe('success');
    }
}

/**
 * No write was refused and no window of the installation's writes (as the fake counted them on arrival) held
 * more than the budget; returns the drain time against the floor (writes needed ÷ allowed rate) to report.
 */
function expectWithinBudget(h: Harness, startedAt: number, writes: number): string {
  expect(h.fake.writeLimit.refused).toBe(0);
  expect(h.fake.writeLimit.busiest(String(REPO.installationId), BUDGET.windowMs)).toBeLessThanOrEqual(BUDGET.limit);
  const drained = Date.now() - startedAt;
  const floor = Math.floor((writes - 1) / BUDGET.limit) * BUDGET.windowMs;
  return `${writes} writes drained in ${drained} ms; budget floor ${floor} ms (${(drained / floor).toFixed(2)}×)`;
}

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
    const { planned, repos } = await plan(h, 'one');
    extra.push(...repos);
    const started = Date.now();
    await burst(h, planned, [h.bot.url]);
    await expectEveryCheck(h, planned);
    await annotate(expectWithinBudget(h, started, REPOS * PULLS_PER_REPO * PUSHES * 4));
    expect(h.bot.bot.mirror.peakConcurrency).toBeLessThanOrEqual(2);
  }, 900_000);

  it('on two replicas sharing PostgreSQL and Redis: the same, nothing lost or doubled, one budget between them', async ({
    annotate,
  }) => {
    const { planned, repos } = await plan(h, 'two');
    extra.push(...repos);
    const started = Date.now();
    await burst(h, planned, [h.bot.url, second.url]);
    await expectEveryCheck(h, planned);
    await annotate(expectWithinBudget(h, started, REPOS * PULLS_PER_REPO * PUSHES * 4));
  }, 900_000);
});
