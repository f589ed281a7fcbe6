import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkRunPayload,
  checkSuitePayload,
  examplePayload,
  pullRequestPayload,
} from '../helpers/fake-github/webhooks.js';
import type { TestPull } from '../helpers/fake-github/webhooks.js';
import { REPO } from './harness.js';
import { useHarness } from './use-harness.js';

// #15: GitHub sends pull_request.synchronize AND check_suite.requested for one push; the four checks are decided
// once per head SHA. Commands typed in review comments and review bodies are answered with where to type them.
describe('one push, one decision; commands in reviews answered', () => {
  const harness = useHarness();
  let pull: TestPull;
  const names = (sha: string) =>
    harness()
      .fake.state.checkRuns.filter((c) => c.headSha === sha)
      .map((c) => c.name)
      .sort();
  const users = () => harness().repo.git('show', 'main:.kiro/schemas/users.yaml');

  beforeAll(async () => {
    const h = harness();
    const changed = (await users()).replace('version: 1.0.0', 'version: 1.0.1').replace('Display name', 'Shown');
    pull = await h.openPull(60, {
      author: 'alice',
      body: 'Fixes #700',
      files: { '.kiro/schemas/users.yaml': changed },
    });
  });

  /** Sends a delivery, then a sentinel re-run of aegis/audit and waits for it: the first was dealt with by then. */
  async function sendAndSettle(event: string, payload: Record<string, unknown>, sha: string): Promise<void> {
    const h = harness();
    await h.send(event, payload);
    const before = h.checksFor(sha);
    await h.send('check_run', checkRunPayload('aegis/audit', sha, [pull.number], REPO));
    await h.fake.waitFor(() => h.checksFor(sha) > before, 20_000, 'the sentinel re-run');
  }

  it("decides the opened PR's head once: GitHub's check_suite.requested for the same push adds nothing", async () => {
    const h = harness();
    expect(names(pull.headSha)).toEqual(['aegis/audit', 'aegis/freeze', 'aegis/rbac', 'aegis/validate']);
    await sendAndSettle('check_suite', checkSuitePayload('requested', pull.headSha, [pull.number], REPO), pull.headSha);
    expect(h.checksFor(pull.headSha)).toBe(5); // the four, and the sentinel
  });

  it('a push (synchronize) and its check suite, in either order, run the four checks once on the new head', async () => {
    const h = harness();
    const changed = (await users()).replace('version: 1.0.0', 'version: 1.0.2').replace('Phone number', 'Phone');
    pull = await h.pushTo(pull, { '.kiro/schemas/users.yaml': changed }, 'second push');
    const second = pull.headSha;
    // The suite first this time, then the pull_request event.
    await h.send('check_suite', checkSuitePayload('requested', second, [pull.number], REPO));
    await h.fake.waitFor(() => h.checksFor(second) >= 4, 20_000, 'four checks on the new head');
    await sendAndSettle('pull_request', pullRequestPayload('synchronize', pull, REPO), second);
    expect(h.checksFor(second)).toBe(5);
  });

  it('re-runs asked for by a person still run (check_suite.rerequested, reopened)', async () => {
    const h = harness();
    await h.send('check_suite', checkSuitePayload('rerequested', pull.headSha, [pull.number], REPO));
    await h.fake.waitFor(() => h.checksFor(pull.headSha) >= 9, 20_000, 'the suite re-run');
    await h.send('pull_request', pullRequestPayload('reopened', pull, REPO));
    await h.fake.waitFor(() => h.checksFor(pull.headSha) >= 13, 20_000, 'the checks after reopening');
    expect(h.checksFor(pull.headSha)).toBe(13);
  });

  /** A review comment or review by `author` on the PR, from GitHub's own example payloads. */
  function review(event: 'pull_request_review_comment' | 'pull_request_review', id: number, body: string) {
    const key = event === 'pull_request_review' ? 'review' : 'comment';
    const action = event === 'pull_request_review' ? 'submitted' : 'created';
    const base = pullRequestPayload('opened', pull, REPO);
    const example = examplePayload(event, action);
    const item = example[key] as Record<string, unknown>;
    Object.assign(item, { id, body, user: { ...(item['user'] as object), login: 'alice', type: 'User' } });
    const { repository, installation, sender, pull_request } = base;
    return { ...example, action, repository, installation, sender, pull_request, [key]: item };
  }
  const replies = () =>
    harness().fake.state.comments.filter((c) => c.issue === pull.number && c.user.endsWith('[bot]'));

  it('answers a command typed in a review comment or a review with where to type it, and runs nothing', async () => {
    const h = harness();
    await h.send('pull_request_review_comment', review('pull_request_review_comment', 9001, '/lock users'));
    await h.fake.waitFor(() => replies().length >= 1, 20_000, 'the answer to the review comment');
    expect(replies()[0]!.body).toMatch(/^> \/lock users\n\n@alice /);
    expect(replies()[0]!.body).toContain('review comment');
    await h.send('pull_request_review', review('pull_request_review', 9002, '/status'));
    await h.fake.waitFor(() => replies().length >= 2, 20_000, 'the answer to the review');
    expect(replies()[1]!.body).toContain("pull request's conversation");
    // Nothing ran: no lock was taken, and ordinary review text is not answered.
    expect((await h.bot.bot.freeze.getBranchState({ repo: REPO.fullName, branch: 'main' })).locks).toEqual([]);
    await h.send('pull_request_review', review('pull_request_review', 9003, 'Looks good to me.'));
    await h.send('pull_request_review_comment', review('pull_request_review_comment', 9001, '/lock users'));
    expect(replies()).toHaveLength(2); // the same comment again (redelivered) is answered once
  });
});
