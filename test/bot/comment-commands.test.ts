import { beforeAll, describe, expect, it } from 'vitest';
import { issueCommentPayload, pullRequestPayload } from '../helpers/fake-github/webhooks.js';
import type { TestPull } from '../helpers/fake-github/webhooks.js';
import { REPO } from './harness.js';
import { useHarness } from './use-harness.js';

describe('comment commands, freeze re-evaluation and issue-linked audit', () => {
  const harness = useHarness();
  let users: TestPull;
  let apps: TestPull;
  let locker: TestPull;
  const freeze = (p: TestPull) => harness().fake.state.latestCheck('aegis/freeze', p.headSha);
  /** Waits (on the fake's calls, no sleeping) until the PR's latest freeze check has this conclusion. */
  const settle = (p: TestPull, conclusion: string) =>
    harness().fake.waitFor(() => freeze(p)?.conclusion === conclusion, 20_000, `PR #${p.number} freeze ${conclusion}`);
  const freezeRuns = (p: TestPull) =>
    harness().fake.state.checkRuns.filter((c) => c.name === 'aegis/freeze' && c.headSha === p.headSha).length;

  beforeAll(async () => {
    const h = harness();
    const text = (f: string) => h.repo.git('show', `main:.kiro/schemas/${f}`);
    const bump = (t: string) =>
      t.replace('version: 1.0.0', 'version: 1.0.1').replace('description: ', 'description: (edited) ');
    users = await h.openPull(10, {
      author: 'alice',
      body: 'Fixes #200',
      files: { '.kiro/schemas/users.yaml': bump(await text('users.yaml')) },
    });
    apps = await h.openPull(11, {
      author: 'alice',
      body: 'Refs #200',
      files: { '.kiro/schemas/applications.yaml': bump(await text('applications.yaml')) },
    });
    locker = await h.openPull(12, {
      author: 'root',
      body: 'Refs #201',
      files: { '.kiro/schemas/audit_logs.yaml': bump(await text('audit_logs.yaml')) },
    });
  });

  it('starts with every freeze check green', async () => {
    for (const p of [users, apps, locker]) await settle(p, 'success');
  });

  it('a branch lock turns the open PRs red (saying who, why, until when) and its release turns them green', async () => {
    const h = harness();
    const reply = await h.comment(12, 'root', '/lock --ttl 2h --reason reindexing the search cluster');
    expect(reply).toContain('🔒 Locked');
    const lockId = /`(lock[^`]*|[0-9a-f-]{8,})`/.exec(reply)?.[1];
    expect(lockId).toBeTruthy();
    for (const p of [users, apps]) {
      await settle(p, 'failure');
      expect(freeze(p)!.summary).toContain('root');
      expect(freeze(p)!.summary).toContain('reindexing the search cluster');
      expect(freeze(p)!.summary).toContain('https://ghe.acme.test/acme/registry/pull/12');
      expect(freeze(p)!.summary).toMatch(/re-runs by itself/);
      expect(freeze(p)!.summary).toMatch(/Retry after ~(11[89] min|120 min|2 h) /);
    }
    await settle(locker, 'success'); // its own lock does not block it
    const released = await h.comment(12, 'root', '/unlock');
    expect(released).toContain('Released');
    for (const p of [users, apps]) await settle(p, 'success');
    // The reaction came first, on the command comments.
    expect(h.fake.state.reactions.filter((r) => r.content === 'eyes').length).toBeGreaterThanOrEqual(2);
    // One audit comment for PR 12 on issue #201, edited in place.
    const onIssue = () => h.fake.state.comments.filter((c) => c.issue === 201 && c.body.includes('aegis-audit'));
    await h.fake.waitFor(() => onIssue().some((c) => c.body.includes('lock.released')), 20_000, 'audit comment edited');
    const audit = onIssue();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.updates).toBeGreaterThanOrEqual(1);
    expect(audit[0]!.body).toContain('lock.acquired');
    expect(audit[0]!.body).toContain('lock.released');
  });

  it('a per-resource lock blocks only the PRs touching that schema', async () => {
    const h = harness();
    const appsRunsBefore = freezeRuns(apps);
    await h.comment(12, 'root', '/lock users --reason migrating emails');
    await settle(users, 'failure');
    expect(freeze(users)!.summary).toContain('schema:users');
    await settle(apps, 'success');
    expect(freezeRuns(apps)).toBe(appsRunsBefore); // not even re-evaluated
    await h.comment(12, 'root', '/unlock');
    await settle(users, 'success');
  });

  it('/force-unlock is refused to a developer (answered and audited) and works for an admin', async () => {
    const h = harness();
    await h.comment(12, 'root', '/lock');
    await settle(users, 'failure');
    const refused = await h.comment(10, 'dave', '/force-unlock the indexer is stuck');
    expect(refused).toContain('Refused');
    expect(refused).toContain('branch:force-unlock');
    await settle(users, 'failure');
    const denials = await h.bot.bot.freeze.queryAudit({ repo: REPO.fullName, action: 'rbac.denied' });
    expect(denials.records.map((r) => [r.actor, r.resourceId, r.issue])).toContainEqual([
      'dave',
      'branch:force-unlock',
      '#200',
    ]);
    const done = await h.comment(10, 'root', '/force-unlock the indexer is stuck');
    expect(done).toContain('Force-unlocked');
    await settle(users, 'success');
    const forced = await h.bot.bot.freeze.queryAudit({ repo: REPO.fullName, action: 'branch.force-unlock' });
    expect(forced.records[0]).toMatchObject({ actor: 'root', reason: 'the indexer is stuck', issue: '#200' });
    // PR 10's audit comment on #200 shows the refusal and the force-unlock, in order.
    const onIssue = () =>
      h.fake.state.comments.filter((c) => c.issue === 200 && c.body.includes('aegis-audit acme/registry#10'));
    await h.fake.waitFor(() => onIssue().some((c) => c.body.includes('branch.force-unlock')), 20_000, 'audit comment');
    const audit = onIssue();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.body.indexOf('rbac.denied')).toBeLessThan(audit[0]!.body.indexOf('branch.force-unlock'));
  });

  it('/metrics reports live locks, conflicts, check outcomes, GitHub requests and webhook time', async () => {
    const h = harness();
    await h.comment(12, 'root', '/lock users --reason metrics');
    const conflict = await h.comment(12, 'dave', '/lock users');
    expect(conflict).toContain('Not locked');
    const text = await (await fetch(`${h.bot.url}/metrics`)).text();
    expect(text).toMatch(/aegis_active_locks\{scope="RESOURCE"\} 1/);
    expect(text).toMatch(/aegis_locked_branches 1/);
    expect(text).toMatch(/aegis_lock_conflicts_total 1/);
    expect(text).toMatch(/aegis_check_runs_total\{check="aegis\/freeze",conclusion="failure"\} \d+/);
    // Counted per route template, never per repository (bounded labels, docs/security.md).
    expect(text).toMatch(
      /aegis_github_requests_total\{method="POST",route="\/repos\/\{owner\}\/\{repo\}\/check-runs"\} \d+/,
    );
    expect(text).not.toContain('acme/registry');
    expect(text).toMatch(/aegis_webhook_duration_seconds_count\{event="issue_comment",outcome="ok"\} \d+/);
    await h.comment(12, 'root', '/unlock');
  });

  it('repeats user text without pinging anyone', async () => {
    const h = harness();
    const reply = await h.comment(12, 'root', '/lock users --reason ask @acme/platform about #12');
    expect(reply).toContain('Locked');
    expect(reply).not.toContain('@acme/platform');
    expect(reply).toContain('@\u200bacme/platform about #\u200b12');
    const freezeSummary = freeze(users)!.summary;
    expect(freezeSummary).not.toContain('@acme/platform');
    await h.comment(12, 'root', '/unlock');
  });

  it('/help and unknown commands answer with help; /status shows the branch', async () => {
    const h = harness();
    expect(await h.comment(10, 'alice', '/help')).toContain('/force-unlock <reason>');
    expect(await h.comment(10, 'alice', '/frobnicate')).toContain('unknown command `/frobnicate`');
    expect(await h.comment(10, 'alice', '/status')).toContain('**main** is ACTIVE');
  });

  it('ignores edited comments, comments by bots, and ordinary discussion', async () => {
    const h = harness();
    const before = h.fake.calls.length;
    await h.send(
      'issue_comment',
      issueCommentPayload(
        'edited',
        { id: 9001, body: '/force-unlock go', author: 'dave', issueNumber: 10 },
        REPO,
        'root',
      ),
    );
    await h.send(
      'issue_comment',
      issueCommentPayload('created', { id: 9002, body: '/lock', author: 'other-ci[bot]', issueNumber: 10 }, REPO),
    );
    await h.send(
      'issue_comment',
      issueCommentPayload('created', { id: 9003, body: 'looks good to me', author: 'alice', issueNumber: 10 }, REPO),
    );
    expect(h.fake.calls.length).toBe(before);
  });

  it('a PR without a linked issue fails audit and passes once its body is edited to link one', async () => {
    const h = harness();
    const text = await h.repo.git('show', 'main:.kiro/schemas/users.yaml');
    const pull = await h.openPull(13, {
      author: 'alice',
      body: 'Small tweak',
      files: {
        '.kiro/schemas/users.yaml': text
          .replace('version: 1.0.0', 'version: 1.0.2')
          .replace('Display name', 'Shown name'),
      },
    });
    const audit = () => h.fake.state.latestCheck('aegis/audit', pull.headSha);
    expect(audit()).toMatchObject({ conclusion: 'failure', title: 'No linked issue' });
    const edited = { ...pull, body: 'Small tweak\n\nFixes #300' };
    h.fake.state.setPull(REPO.fullName, edited);
    await h.send('pull_request', pullRequestPayload('edited', edited, REPO));
    await h.fake.waitFor(() => audit()?.conclusion === 'success', 20_000, 'audit to pass');
    expect(audit()!.title).toBe('Linked to #300');
  });

  it('closing a PR releases the locks it took', async () => {
    const h = harness();
    await h.comment(12, 'root', '/lock users');
    await settle(users, 'failure');
    const closed = { ...locker, state: 'closed' as const };
    h.fake.state.setPull(REPO.fullName, closed);
    await h.send('pull_request', pullRequestPayload('closed', closed, REPO));
    await h.fake.waitFor(() => freeze(users)?.conclusion === 'success', 20_000, 'users freeze green after close');
    const status = await h.bot.bot.freeze.getBranchState({ repo: REPO.fullName, branch: 'main' });
    expect(status.locks).toEqual([]);
  });
});
