import { describe, expect, it } from 'vitest';
import { checkRunPayload, checkSuitePayload } from '../helpers/fake-github/webhooks.js';
import { REPO } from './harness.js';
import { useHarness } from './use-harness.js';

type Json = Record<string, unknown>;

/** GitHub lists a PR in a check's `pull_requests` for any commit of its branch, with the PR's current head. */
function listingHead(payload: Json, key: 'check_run' | 'check_suite', head: string): Json {
  for (const pr of (payload[key] as { pull_requests: { head: { sha: string } }[] }).pull_requests) pr.head.sha = head;
  return payload;
}

/**
 * A person clicks "Re-run" on a check of a commit the PR has moved on from (its Commits tab). The re-run is
 * answered on that commit — superseded by the PR's head, not judged — and the head, whose checks decide the PR,
 * gets nothing it did not ask for.
 */
describe("a re-run of an older commit's checks", () => {
  const harness = useHarness();

  it('is answered on that commit as superseded by the head, and runs nothing on the head', async () => {
    const h = harness();
    const bump = (users: string) => users.replace('version: 1.0.0', 'version: 1.0.1');
    const first = await h.openSchemaPull(91, { schema: 'users', body: 'Fixes #91', edit: bump });
    const users = await h.repo.git('show', 'main:.kiro/schemas/users.yaml');
    const { headSha: head } = await h.pushTo(first, {
      '.kiro/schemas/users.yaml': users.replace('version: 1.0.0', 'version: 1.0.2'),
    });
    const before = { old: h.checksFor(first.headSha), head: h.checksFor(head) };

    await h.send(
      'check_run',
      listingHead(checkRunPayload('aegis/validate', first.headSha, [91], REPO), 'check_run', head),
    );
    await h.fake.waitFor(() => h.checksFor(first.headSha) > before.old, 20_000, 'the re-run on the old commit');
    const rerun = h.fake.state.latestCheck('aegis/validate', first.headSha);
    expect(rerun?.conclusion).toBe('cancelled');
    expect(rerun?.summary).toContain(head.slice(0, 7));

    const suite = listingHead(checkSuitePayload('rerequested', first.headSha, [91], REPO), 'check_suite', head);
    await h.send('check_suite', suite);
    await h.fake.waitFor(() => h.checksFor(first.headSha) >= before.old + 5, 20_000, 'the suite re-run');
    for (const name of ['aegis/validate', 'aegis/freeze', 'aegis/rbac', 'aegis/audit'])
      expect(h.fake.state.latestCheck(name, first.headSha)?.conclusion).toBe('cancelled');
    // A sentinel re-run on the head, waited for: nothing before it added a run there.
    await h.send('check_run', checkRunPayload('aegis/audit', head, [91], REPO));
    await h.fake.waitFor(() => h.checksFor(head) > before.head, 20_000, 'the sentinel re-run');
    expect(h.checksFor(head)).toBe(before.head + 1);
    expect(h.fake.state.latestCheck('aegis/audit', head)?.conclusion).toBe('success');

    // A re-run naming no commit id (a careless or hostile payload): no check run is even asked of GitHub.
    const posts = () => h.fake.apiCalls(/^POST .*\/check-runs$/).length;
    const asked = posts();
    for (const junk of ['--upload-pack=evil', 'not a sha', 'a'.repeat(39)])
      await h.send('check_run', checkRunPayload('aegis/validate', junk, [91], REPO));
    await h.send('check_run', checkRunPayload('aegis/audit', head, [91], REPO));
    await h.fake.waitFor(() => h.checksFor(head) > before.head + 1, 20_000, 'the second sentinel');
    expect(posts()).toBe(asked + 1);
  });
});
