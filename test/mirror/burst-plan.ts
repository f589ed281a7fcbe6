import { budgetFloorMs } from '@aegis/bot';
import { createGitRepo } from '../helpers/git-repo.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { checkSuitePayload, deliver, pullRequestPayload } from '../helpers/fake-github/webhooks.js';
import type { TestPull, TestRepoRef } from '../helpers/fake-github/webhooks.js';
import { exampleFiles, REPO, SECRET } from '../bot/harness.js';
import type { Harness } from '../bot/harness.js';

/** Issue #19's burst: 5 repositories × 10 PRs × 4 heads (opened, then three pushes) = 200 events. */
export const REPOS = 5;
export const PULLS_PER_REPO = 10;
export const PUSHES = 4;
export const CHECKS = ['aegis/audit', 'aegis/freeze', 'aegis/rbac', 'aegis/validate'];
/** The installation's write budget, scaled down from GitHub's so a burst is bound by it yet short. */
export const BUDGET = { limit: 40, windowMs: 4000 };
/** Check runs the burst writes: four on every head. */
export const BURST_WRITES = REPOS * PULLS_PER_REPO * PUSHES * 4;
/** The least time the burst's writes take within the budget. */
export const BURST_FLOOR_MS = budgetFloorMs(BURST_WRITES, [BUDGET]);

export interface Planned {
  repo: TestRepoRef;
  pulls: TestPull[][];
}

/** The commits of one PR: four heads, each a new version of `users.yaml`. */
async function pullHeads(git: GitRepo, repo: TestRepoRef, tag: string, p: number, users: string): Promise<TestPull[]> {
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
  return heads;
}

/** The burst's repositories (the harness's own first), their PRs and heads; `repos` are the ones to clean up. */
export async function planBurst(h: Harness, tag: string): Promise<{ planned: Planned[]; repos: GitRepo[] }> {
  const planned: Planned[] = [];
  const repos: GitRepo[] = [];
  for (let r = 0; r < REPOS; r++) {
    const repo: TestRepoRef = { ...REPO, fullName: `acme/burst-${tag}-${r}` };
    const git = r === 0 ? h.repo : await createGitRepo({ files: await exampleFiles() });
    if (r > 0) repos.push(git);
    h.fake.addRepo(repo.fullName, git.dir);
    const users = await git.git('show', 'main:.kiro/schemas/users.yaml');
    const pulls: TestPull[][] = [];
    for (let p = 0; p < PULLS_PER_REPO; p++) pulls.push(await pullHeads(git, repo, tag, p, users));
    await git.checkout('main');
    planned.push({ repo, pulls });
  }
  return { planned, repos };
}

/** One delivery of the burst: a push's `pull_request` event, or with `suites` its `check_suite.requested` too. */
interface BurstDelivery {
  repo: TestRepoRef;
  pull: TestPull;
  event: 'pull_request' | 'check_suite';
  action: string;
  /** Which of the replicas' URLs it goes to. */
  to: number;
}

/**
 * The burst's deliveries: every push of every PR, PRs interleaved, each PR's pushes in order. With two replicas a
 * PR's pushes alternate between them (each replica half the events). With `suites`, each push's
 * `check_suite.requested` comes late, as GitHub's often does: after the next push's `pull_request` events (the
 * last push's at the end), on the other replica than its own push's event.
 */
function burstDeliveries(planned: Planned[], replicas: number, suites: boolean): BurstDelivery[] {
  const out: BurstDelivery[] = [];
  let late: BurstDelivery[] = [];
  for (let push = 0; push < PUSHES; push++) {
    const pulls = planned.flatMap(({ repo, pulls }) => pulls.map((heads) => ({ repo, pull: heads[push]! })));
    const round = pulls.map(({ repo, pull }, k): BurstDelivery => {
      const to = (push + k) % replicas;
      return { repo, pull, event: 'pull_request', action: push === 0 ? 'opened' : 'synchronize', to };
    });
    out.push(...round, ...late);
    late = suites
      ? round.map((d) => ({ ...d, event: 'check_suite', action: 'requested', to: (d.to + 1) % replicas }))
      : [];
  }
  return [...out, ...late];
}

/**
 * Sends every event, PRs interleaved, each PR's in order, up to 25 deliveries in flight over `urls`. With
 * `suites`, each push also sends the `check_suite.requested` GitHub sends for it, late (`burstDeliveries`),
 * which must decide nothing more: each head is decided once, by the first of its own push's two deliveries.
 */
export async function sendBurst(
  h: Harness,
  planned: Planned[],
  urls: string[],
  options: { suites?: boolean } = {},
): Promise<void> {
  const events = burstDeliveries(planned, urls.length, options.suites ?? false);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < events.length; i = next++) {
      const { repo, pull, event, action, to } = events[i]!;
      if (event === 'pull_request') h.fake.state.setPull(repo.fullName, pull);
      const payload =
        event === 'pull_request'
          ? pullRequestPayload(action, pull, repo)
          : checkSuitePayload(action, pull.headSha, [pull.number], repo);
      const res = await deliver(`${urls[to]!}/api/github/webhooks`, event, payload, { secret: SECRET });
      if (res.status >= 300) throw new Error(`delivery ${i} (${event}) answered ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: 25 }, () => worker()));
}

/** Every planned head as `repository@commit` (GitHub keeps check runs per repository). */
export function headKeys(planned: Planned[]): string[] {
  return planned.flatMap(({ repo, pulls }) => pulls.flat().map((pull) => `${repo.fullName}@${pull.headSha}`));
}

/** The names of the check runs on each head, by `repository@commit`. */
export function checksByHead(h: Harness): Map<string, string[]> {
  const byHead = new Map<string, string[]>();
  for (const c of h.fake.state.checkRuns) {
    const key = `${c.repo}@${c.headSha}`;
    byHead.set(key, [...(byHead.get(key) ?? []), c.name]);
  }
  return byHead;
}

/** Resolves when every head has each of the four checks (not at a total, where a double could hide a miss). */
export function everyHeadChecked(h: Harness, heads: readonly string[], timeoutMs = 600_000): Promise<void> {
  const complete = (names: string[] = []): boolean => CHECKS.every((name) => names.includes(name));
  return h.fake.waitFor(
    () => {
      const byHead = checksByHead(h);
      return heads.every((head) => complete(byHead.get(head)));
    },
    timeoutMs,
    'four checks on every head',
  );
}
