import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCommentPayload } from '../helpers/fake-github/webhooks.js';
import { Harness, REPO } from './harness.js';

describe('insider tricks (signed deliveries, fake GitHub, real git)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(async () => {
    expect(h.fake.unexpected()).toEqual([]);
    await h.close();
  });

  it("a signed command re-posted with a fresh X-GitHub-Delivery runs once: commands are keyed on the comment's id, which the signature covers", async () => {
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
});
