import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSuitePayload, pullRequestPayload } from '../helpers/fake-github/webhooks.js';
import type { TestPull } from '../helpers/fake-github/webhooks.js';
import { Harness, REPO } from './harness.js';

// #14 item 4: aegis/rbac judged only the PR author, so mallory's push onto alice's branch passed as "alice may
// make every change". Everyone who contributed since the merge base is judged: the author, every pusher, every
// commit author and committer GitHub maps to an account. alice owns users (@acme/identity); mallory and rita do not.
describe('aegis/rbac judges everyone who contributed the change', () => {
  let h: Harness;
  const users = () => h.repo.git('show', 'main:.kiro/schemas/users.yaml');
  const rbac = (sha: string) => h.fake.state.latestCheck('aegis/rbac', sha)!;
  const rbacRuns = (sha: string) => h.fake.state.checkRuns.filter((c) => c.name === 'aegis/rbac' && c.headSha === sha);

  beforeAll(async () => {
    h = await Harness.start();
    for (const login of ['alice', 'mallory', 'rita']) h.fake.state.emails.set(`${login}@acme.test`, login);
  });
  afterAll(async () => {
    expect(h.fake.unexpected()).toEqual([]);
    await h.close();
  });

  /** alice opens PR `number` bumping users to 1.0.1 (hers to change). */
  async function alicesPull(number: number): Promise<TestPull> {
    const changed = (await users()).replace('version: 1.0.0', 'version: 1.0.1');
    const pull = await h.openPull(number, {
      author: 'alice',
      body: 'Fixes #1',
      files: { '.kiro/schemas/users.yaml': changed },
    });
    expect(rbac(pull.headSha)).toMatchObject({ conclusion: 'success', title: 'alice may make every change' });
    return pull;
  }

  let minor = 0;
  /** A commit onto the PR's branch by `author` (`Name <email>`), changing users again; the fake's PR moves to it. */
  async function commitOnto(pull: TestPull, author: string): Promise<TestPull> {
    minor += 1;
    await h.repo.checkout(pull.headRef);
    const changed = (await h.repo.git('show', 'HEAD:.kiro/schemas/users.yaml')).replace(
      /version: \S+/,
      `version: 1.${minor}.0`,
    );
    await h.repo.write({ '.kiro/schemas/users.yaml': changed.replace('Display name', 'Shown as') });
    await h.repo.git('add', '-A');
    await h.repo.git('commit', '-q', '-m', 'more users', '--author', author);
    const moved = { ...pull, headSha: await h.repo.sha() };
    await h.repo.checkout('main');
    h.fake.state.setPull(REPO.fullName, moved);
    return moved;
  }

  /** `pusher` pushes `pull`'s head (a `synchronize` delivery); resolves with aegis/rbac once the four checks ran. */
  async function pushedBy(pull: TestPull, pusher: string) {
    await h.send('pull_request', pullRequestPayload('synchronize', pull, REPO, pusher));
    await h.fake.waitFor(() => h.checksFor(pull.headSha) >= 4, 20_000, `checks on ${pusher}'s push`);
    return rbac(pull.headSha);
  }

  it("refuses mallory's push onto alice's branch, though the commit claims alice wrote it", async () => {
    const pushed = await commitOnto(await alicesPull(401), 'Alice <alice@acme.test>');
    const check = await pushedBy(pushed, 'mallory');
    expect(check).toMatchObject({ conclusion: 'failure', title: 'mallory may not make 1 of 1 changes' });
    expect(check.summary).toContain(
      `- ❌ mallory (pushed ${pushed.headSha.slice(0, 7)}) may not schema:write \`users\``,
    );
    expect(check.summary).toContain('only @acme/identity may write');
  });

  it('judges the pusher even when GitHub’s check suite decided the head before the push event came', async () => {
    const pushed = await commitOnto(await alicesPull(402), 'Alice <alice@acme.test>');
    await h.send('check_suite', checkSuitePayload('requested', pushed.headSha, [pushed.number], REPO));
    await h.fake.waitFor(() => h.checksFor(pushed.headSha) >= 4, 20_000, 'the suite’s checks');
    expect(rbac(pushed.headSha).conclusion).toBe('success'); // nobody had said mallory pushed it yet
    await h.send('pull_request', pullRequestPayload('synchronize', pushed, REPO, 'mallory'));
    await h.fake.waitFor(() => rbacRuns(pushed.headSha).length >= 2, 20_000, 'aegis/rbac decided again');
    expect(rbac(pushed.headSha)).toMatchObject({ conclusion: 'failure', title: 'mallory may not make 1 of 1 changes' });
  });

  it('keeps judging an earlier pusher on later pushes, and judges a commit author who never pushed', async () => {
    const byMallory = await commitOnto(await alicesPull(403), 'Alice <alice@acme.test>');
    await pushedBy(byMallory, 'mallory');
    const later = await commitOnto(byMallory, 'Rita <rita@acme.test>');
    const check = await pushedBy(later, 'alice');
    expect(check).toMatchObject({ conclusion: 'failure', title: 'mallory, rita may not make 1 of 1 changes' });
    expect(check.summary).toContain(`mallory (pushed ${byMallory.headSha.slice(0, 7)})`);
    expect(check.summary).toContain(`rita (authored ${later.headSha.slice(0, 7)})`);
  });

  it('judges a commit whose author has no GitHub account as the pusher who brought it, and says so', async () => {
    const pushed = await commitOnto(await alicesPull(404), 'Someone <nobody@elsewhere.test>');
    const check = await pushedBy(pushed, 'alice');
    expect(check).toMatchObject({ conclusion: 'success', title: 'alice may make every change' });
    expect(check.summary).toContain(
      `${pushed.headSha.slice(0, 7)}: no GitHub account has the email of its author Someone and committer Aegis Test; judged as alice, who pushed it`,
    );
  });
});
