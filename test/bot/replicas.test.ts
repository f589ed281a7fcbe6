import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, databaseUrl } from '../helpers/postgres-admin.js';
import type { RunningBot } from '@aegis/bot';
import { deliver, issueCommentPayload, pullRequestPayload } from '../helpers/fake-github/webhooks.js';
import { Harness, REPO, SECRET } from './harness.js';
import { PrivateRedis } from './private-redis.js';

describe('two replicas on shared PostgreSQL + Redis', () => {
  const database = `aegis_bot_${process.pid}_${Date.now()}`;
  let redis: PrivateRedis;
  let h: Harness;
  let second: RunningBot;
  beforeAll(async () => {
    await adminQuery(`CREATE DATABASE ${database}`);
    redis = await PrivateRedis.start();
    h = await Harness.start({ REDIS_URL: redis.url, DATABASE_URL: databaseUrl(database) });
    second = await h.replica('b');
  });
  afterAll(async () => {
    try {
      expect(h.fake.unexpected()).toEqual([]);
      await second.close();
      await h.close();
      await redis.stop();
    } finally {
      await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    }
  });

  it('a delivery retried on the other replica is processed once; a lock taken on one is seen by the other', async () => {
    const pull = await h.openSchemaPull(50, {
      schema: 'users',
      body: 'Fixes #700',
      edit: (users) => users.replace('version: 1.0.0', 'version: 1.0.1').replace('Display name', 'Shown'),
    });
    const payload = pullRequestPayload('synchronize', pull, REPO);
    const [a, b] = await Promise.all([
      deliver(h.webhookUrl, 'pull_request', payload, { secret: SECRET, id: 'same-delivery' }),
      deliver(`${second.url}/api/github/webhooks`, 'pull_request', payload, { secret: SECRET, id: 'same-delivery' }),
    ]);
    expect([a.status, b.status].every((s) => s < 300)).toBe(true);
    await h.fake.waitFor(() => h.checksFor(pull.headSha) >= 8, 20_000, 'one re-run');
    expect(h.checksFor(pull.headSha)).toBe(8);

    // /lock through replica A (on an issue: the default branch), /status through replica B.
    const body = '/lock users --reason shared';
    const lock = issueCommentPayload(
      'created',
      { id: 7001, body, author: 'root', issueNumber: 51, onPull: false },
      REPO,
    );
    h.fake.state.comments.push({ id: 7001, repo: REPO.fullName, issue: 51, body, user: 'root', updates: 0 });
    await h.send('issue_comment', lock);
    expect(h.fake.state.latestCheck('aegis/freeze', pull.headSha)?.conclusion).toBe('failure');
    const status = issueCommentPayload(
      'created',
      { id: 7002, body: '/status', author: 'alice', issueNumber: 50 },
      REPO,
    );
    h.fake.state.comments.push({
      id: 7002,
      repo: REPO.fullName,
      issue: 50,
      body: '/status',
      user: 'alice',
      updates: 0,
    });
    const res = await deliver(`${second.url}/api/github/webhooks`, 'issue_comment', status, { secret: SECRET });
    expect(res.status).toBeLessThan(300);
    const reply = h.fake.state.comments.filter((c) => c.body.startsWith('> /status')).at(-1);
    expect(reply?.body).toContain('shared');
  });
});
