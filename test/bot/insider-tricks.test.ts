import { describe, expect, it } from 'vitest';
import { callApi, startApiHarness, TOKENS } from '../api/api-harness.js';
import { issueCommentPayload, pullRequestPayload } from '../helpers/fake-github/webhooks.js';
import { REPO } from './harness.js';
import { useHarness } from './use-harness.js';

const Z = '\u200b';

describe('insider tricks (signed deliveries, fake GitHub, real git)', () => {
  const harness = useHarness(startApiHarness);

  it("a signed command re-posted with a fresh X-GitHub-Delivery runs once: commands are keyed on the comment's id, which the signature covers", async () => {
    const h = harness();
    const comment = {
      id: 7001,
      body: '/force-unlock the indexer is stuck',
      author: 'root',
      issueNumber: 10,
      onPull: false,
    };
    h.fake.state.comments.push({ ...comment, repo: REPO.fullName, issue: 10, user: 'root', updates: 0 });
    const payload = issueCommentPayload('created', comment, REPO);
    // The delivery id is a header, outside the signature: an eavesdropper can replay the body under a new one.
    await h.send('issue_comment', payload, 'delivery-original');
    await h.send('issue_comment', payload, 'delivery-replayed');
    await h.send('issue_comment', payload, 'delivery-replayed-again');
    const replies = h.fake.state.comments.filter(
      (c) => c.issue === 10 && c.user.endsWith('[bot]') && c.body.startsWith('> '),
    );
    expect(replies).toHaveLength(1);
    const audit = await h.bot.bot.freeze.queryAudit({ repo: REPO.fullName, action: 'branch.force-unlock' });
    expect(audit.records).toHaveLength(1);
    expect(audit.records[0]?.delivery).toBe('delivery-original');
  });

  it("an audit comment planted on the issue with the app's hidden marker is not adopted", async () => {
    const h = harness();
    const users = await h.repo.git('show', 'main:.kiro/schemas/users.yaml');
    const planted = 'aegis-audit acme/registry#27';
    h.fake.state.addHumanComment(REPO.fullName, 801, 'mallory', `<!-- ${planted} -->\nNothing to see here.`);
    await h.openPull(27, {
      author: 'alice',
      body: 'Fixes #801',
      files: { '.kiro/schemas/users.yaml': users.replace('type: BOOLEAN', 'type: BOOLEAN\n    colour: red') },
    });
    const marked = () => h.fake.state.comments.filter((c) => c.issue === 801 && c.body.includes(planted));
    await h.fake.waitFor(() => marked().length === 2, 20_000, "the app's own audit comment");
    const theirs = marked().find((c) => c.user === 'mallory');
    expect(theirs?.updates).toBe(0);
    expect(theirs?.body).toContain('Nothing to see here.');
    expect(marked().find((c) => c.user.endsWith('[bot]'))?.body).toContain('check.blocked');
  });

  it('mentions, links and images in command arguments, reasons and indexing ids are neutralised in replies, summaries and the audit comment', async () => {
    const h = harness();
    const pull = await h.openSchemaPull(41, {
      schema: 'users',
      body: 'Fixes #802',
      edit: (users) => users.replace('version: 1.0.0', 'version: 1.0.1'),
    });
    const hostile = 'ping @acme/platform ![x](http://evil.test/i.png) see www.evil.test <b>now</b>';
    const quiet = `ping @${Z}acme/platform \\!\\[x\\](http:${Z}//evil.test/i.png) see www${Z}.evil.test \\<b\\>now\\</b\\>`;
    const locked = await h.comment(41, 'alice', `/lock users --reason ${hostile}`);
    expect(locked).toContain(`: ${quiet} (expires in`);
    expect(locked).not.toMatch(/@acme|!\[x\]|https?:\/\/evil|<b>/);
    const unknown = await h.comment(41, 'alice', '/unlock `@everyone` ![y](http://evil.test/y.png)');
    expect(unknown).toMatch(/No live lock `@everyone` on main\./);
    expect(await h.comment(41, 'alice', '/unlock')).toContain('Released');
    // The issue's audit comment repeats the reason: the same neutral text.
    await h.fake.waitFor(
      () => h.fake.state.comments.some((c) => c.issue === 802 && c.body.includes('aegis-audit')),
      20_000,
      'the audit comment',
    );
    const audit = h.fake.state.comments.find((c) => c.issue === 802 && c.body.includes('aegis-audit'))!.body;
    expect(audit).toContain(quiet);
    expect(audit).not.toMatch(/@acme|!\[x\]|https?:\/\/evil/);

    // An indexer's own id lands in the freeze summary: inside one code span it cannot leave.
    const job = 'job` @everyone ![z](http://evil.test/z.png) `';
    const started = await callApi(h.bot.url, TOKENS.indexer, 'POST', 'branch-locks/indexing/main/start', {
      indexing_id: job,
    });
    expect(started.status).toBe(201);
    await h.send('pull_request', pullRequestPayload('synchronize', pull, REPO));
    await h.fake.waitFor(() => h.checksFor(pull.headSha) >= 8, 20_000, 'checks re-run under the indexing lock');
    const freeze = h.fake.state.latestCheck('aegis/freeze', pull.headSha)!;
    expect(freeze.conclusion).toBe('failure');
    expect(freeze.summary).toContain('(indexing job `job  @everyone ![z](http://evil.test/z.png)`)');
  });
});
