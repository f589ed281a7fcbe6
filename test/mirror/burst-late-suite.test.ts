import { describe, expect, it } from 'vitest';
import { checkRunPayload, checkSuitePayload, pullRequestPayload } from '../helpers/fake-github/webhooks.js';
import { REPO } from '../bot/harness.js';
import { useHarness } from '../bot/use-harness.js';

/**
 * In a burst GitHub sends, for every push, `pull_request.synchronize` and `check_suite.requested` naming that
 * push's commit; when they are handled the PR may have moved on. A suite that comes late decides the commit it
 * names, never the PR's newer head, so that head is decided once by its own push's deliveries (#19: nothing
 * doubled, nothing lost).
 */
describe('a check suite handled after a newer push decides its own commit, not the new head', () => {
  const harness = useHarness();

  it('the late suite of push 1, then push 2 and its suite: four runs on each head, none twice', async () => {
    const h = harness();
    const bump = (users: string) => users.replace('version: 1.0.0', 'version: 1.0.1');
    const first = await h.openSchemaPull(90, { schema: 'users', body: 'Fixes #90', edit: bump });
    const users = await h.repo.git('show', 'main:.kiro/schemas/users.yaml');
    const text = users.replace('version: 1.0.0', 'version: 1.0.2').replace('Display name', 'Shown');
    const second = await h.pushTo(first, { '.kiro/schemas/users.yaml': text }, 'second push');
    const head = second.headSha;

    // Push 1's suite, handled only now: its commit was decided by push 1's pull_request event.
    await h.send('check_suite', checkSuitePayload('requested', first.headSha, [90], REPO));
    // Push 2: its pull_request event, then its own suite.
    await h.send('pull_request', pullRequestPayload('synchronize', second, REPO));
    await h.fake.waitFor(() => h.checksFor(head) >= 4, 30_000, 'four checks on the new head');
    await h.send('check_suite', checkSuitePayload('requested', head, [90], REPO));
    // A sentinel re-run, asked for after everything else and waited for.
    await h.send('check_run', checkRunPayload('aegis/audit', head, [90], REPO));
    await h.fake.waitFor(() => h.checksFor(head) >= 5, 30_000, 'the sentinel re-run');

    const runs = (sha: string) =>
      h.fake.state.checkRuns
        .filter((c) => c.headSha === sha)
        .map((c) => c.name)
        .sort();
    expect(runs(first.headSha)).toEqual(['aegis/audit', 'aegis/freeze', 'aegis/rbac', 'aegis/validate']);
    expect(runs(head)).toEqual(['aegis/audit', 'aegis/audit', 'aegis/freeze', 'aegis/rbac', 'aegis/validate']);
    expect(h.fake.state.latestCheck('aegis/validate', head)?.conclusion).toBe('success');
  });
});
