import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullRequestPayload } from '../helpers/fake-github/webhooks.js';
import { Harness, REPO } from './harness.js';
import { PrivateRedis } from './private-redis.js';

describe('with the state store (Redis) down', () => {
  let redis: PrivateRedis;
  let h: Harness;
  beforeAll(async () => {
    redis = await PrivateRedis.start();
    h = await Harness.start({ REDIS_URL: redis.url });
  });
  afterAll(async () => {
    expect(h.fake.unexpected()).toEqual([]);
    await h.close();
    await redis.stop();
  });

  it('the freeze check fails closed saying the lock store is unreachable, and the app keeps serving', async () => {
    const pull = await h.openSchemaPull(30, {
      schema: 'users',
      body: 'Fixes #500',
      edit: (users) => users.replace('version: 1.0.0', 'version: 1.0.1').replace('Display name', 'Shown as'),
    });
    expect(h.fake.state.latestCheck('aegis/freeze', pull.headSha)?.conclusion).toBe('success');
    await redis.stop();
    await h.send('pull_request', pullRequestPayload('synchronize', pull, REPO));
    await h.fake.waitFor(() => h.checksFor(pull.headSha) >= 8, 30_000, 'checks after the store went down');
    const freeze = h.fake.state.latestCheck('aegis/freeze', pull.headSha)!;
    expect(freeze.conclusion).toBe('failure');
    expect(freeze.title).toBe('Lock store unreachable');
    expect(freeze.summary).toMatch(/lock store is unreachable \(correlation id `[0-9a-f]{16}`\)/);
    // The summary is public: the store's own error (address, socket error) stays in the log.
    expect(freeze.summary).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|Redis unavailable|redis:\/\//);
    // Validation does not need the store: it still ran.
    expect(h.fake.state.latestCheck('aegis/validate', pull.headSha)?.conclusion).toBe('success');
    // The app keeps serving: health, and a command answered with the reason.
    expect((await fetch(`${h.bot.url}/healthz`)).status).toBe(200);
    const reply = await h.comment(30, 'root', '/lock users');
    expect(reply).toContain('lock store is unreachable');
  });
});
