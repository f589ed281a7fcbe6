import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningBot } from '@aegis/bot';
import { deliver, pullRequestPayload } from '../helpers/fake-github/webhooks.js';
import type { TestPull } from '../helpers/fake-github/webhooks.js';
import type { Harness } from '../bot/harness.js';
import { REPO, SECRET } from '../bot/harness.js';
import { startTwoReplicas } from './two-replicas.js';
import type { TwoReplicas } from './two-replicas.js';

const PULLS = 10;
const WINDOW = { limit: 8, windowMs: 4000 };

describe('two replicas share one installation’s write budget (GitHub’s secondary limit)', () => {
  let replicas: TwoReplicas;
  let h: Harness;
  let second: RunningBot;
  beforeAll(async () => {
    replicas = await startTwoReplicas('writes', { AEGIS_WRITE_BUDGET: `${WINDOW.limit}/${WINDOW.windowMs}ms` });
    ({ h, second } = replicas);
    // The fake refuses, as GitHub does, a write past the same budget counted by arrival.
    h.fake.writeLimit.windows = [WINDOW];
  });
  afterAll(async () => {
    await replicas.close();
  });

  it('ten PRs at once over both replicas: forty check runs, none refused, no window over the budget', async () => {
    const users = await h.repo.git('show', 'main:.kiro/schemas/users.yaml');
    const pulls: TestPull[] = [];
    for (let n = 1; n <= PULLS; n++) {
      await h.repo.checkout('main');
      await h.repo.branch(`paced-${n}`);
      const text = users.replace('version: 1.0.0', `version: 1.0.${n}`);
      const headSha = await h.repo.commit(`paced ${n}`, { '.kiro/schemas/users.yaml': text });
      pulls.push({ number: n, headSha, headRef: `paced-${n}`, baseRef: 'main', body: `Fixes #${n}`, author: 'alice' });
      h.fake.state.setPull(REPO.fullName, pulls.at(-1)!);
    }
    await h.repo.checkout('main');
    const urls = [h.bot.url, second.url];
    const answers = await Promise.all(
      pulls.map((pull, i) =>
        deliver(`${urls[i % 2]!}/api/github/webhooks`, 'pull_request', pullRequestPayload('opened', pull, REPO), {
          secret: SECRET,
        }),
      ),
    );
    // Probot answers 202 for a delivery still being worked on: the checks are waited for.
    expect(answers.every((a) => a.status === 200 || a.status === 202)).toBe(true);
    await h.fake.waitFor(() => pulls.every((p) => h.checksFor(p.headSha) >= 4), 240_000, 'four checks on every PR');
    for (const pull of pulls) expect(h.checksFor(pull.headSha)).toBe(4);
    expect(h.fake.writeLimit.refused).toBe(0);
    expect(h.fake.unexpected()).toEqual([]);
    const installation = String(REPO.installationId);
    expect(h.fake.writeLimit.busiest(installation, WINDOW.windowMs)).toBeLessThanOrEqual(WINDOW.limit);
    // Both replicas wrote, through the one ledger in Redis.
    expect((h.bot.pacer?.counters.writes ?? 0) + (second.pacer?.counters.writes ?? 0)).toBe(PULLS * 4);
    expect(h.bot.pacer?.counters.writes).toBeGreaterThan(0);
    expect(second.pacer?.counters.writes).toBeGreaterThan(0);
  }, 300_000);
});
