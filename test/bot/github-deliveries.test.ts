import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, pullRequestPayload } from '../helpers/fake-github/webhooks.js';
import type { TestPull } from '../helpers/fake-github/webhooks.js';
import { Harness, REPO, SECRET } from './harness.js';

// GitHub refuses, limits and forgets: a delivery whose work failed can be redelivered, rate limits are waited
// out, and one check that cannot be published never takes the others down. Octokit's throttle is ON here, as in
// production.
describe('deliveries against a GitHub that refuses and rate-limits (production throttle on)', () => {
  let h: Harness;
  const checks = (sha: string) => h.fake.state.checkRuns.filter((c) => c.headSha === sha).map((c) => c.name);

  /** Commits a change on a new branch and registers the PR, without delivering anything. */
  async function prepare(number: number, file: string): Promise<TestPull> {
    const text = await h.repo.git('show', `main:.kiro/schemas/${file}`);
    await h.repo.checkout('main');
    await h.repo.branch(`pr-${number}`);
    const changed = text.replace('version: 1.0.0', 'version: 1.0.1').replace('description: ', 'description: (x) ');
    const headSha = await h.repo.commit(`change for #${number}`, { [`.kiro/schemas/${file}`]: changed });
    await h.repo.checkout('main');
    const pull = {
      number,
      headSha,
      headRef: `pr-${number}`,
      baseRef: 'main',
      body: `Fixes #${number + 100}`,
      author: 'alice',
    };
    h.fake.state.setPull(REPO.fullName, pull);
    return pull;
  }

  beforeAll(async () => {
    h = await Harness.start({ AEGIS_GITHUB_THROTTLE: 'on' });
  });
  afterAll(async () => {
    await h.close();
  });

  it('waits out a secondary rate limit (retry-after) and still publishes all four checks', async () => {
    const pull = await prepare(401, 'users.yaml');
    h.fake.faults.secondaryRateLimit({ method: 'POST', path: /\/check-runs$/, times: 1 }, 1);
    const res = await deliver(h.webhookUrl, 'pull_request', pullRequestPayload('opened', pull, REPO), {
      secret: SECRET,
    });
    expect(res.status).toBeLessThan(300);
    await h.fake.waitFor(() => checks(pull.headSha).length >= 4, 30_000, 'four checks after the rate limit');
    expect(checks(pull.headSha).sort()).toEqual(['aegis/audit', 'aegis/freeze', 'aegis/rbac', 'aegis/validate']);
    expect(h.fake.faults.pending()).toBe(0);
  });

  it('one check GitHub keeps refusing does not stop the others; the redelivery publishes the rest', async () => {
    const pull = await prepare(402, 'applications.yaml');
    const refused = { status: 403, body: { message: 'Resource not accessible by integration' } };
    // The first check-run request fails for good; the three others go through.
    h.fake.faults.fail({ method: 'POST', path: /\/check-runs$/, times: 1 }, refused);
    const payload = pullRequestPayload('opened', pull, REPO);
    const first = await deliver(h.webhookUrl, 'pull_request', payload, { secret: SECRET, id: 'delivery-402' });
    expect(first.status).toBeGreaterThanOrEqual(500);
    expect(first.text).not.toMatch(/127\.0\.0\.1|https?:\/\//);
    expect(new Set(checks(pull.headSha)).size).toBe(3);
    // "Redeliver" in GitHub's UI sends the same X-GitHub-Delivery: the work that failed runs again.
    const again = await deliver(h.webhookUrl, 'pull_request', payload, { secret: SECRET, id: 'delivery-402' });
    expect(again.status).toBeLessThan(300);
    expect(new Set(checks(pull.headSha)).size).toBe(4);
    // Done once, a further redelivery is skipped.
    const count = checks(pull.headSha).length;
    await deliver(h.webhookUrl, 'pull_request', payload, { secret: SECRET, id: 'delivery-402' });
    expect(checks(pull.headSha).length).toBe(count);
  });
});
