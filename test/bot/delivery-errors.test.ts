import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, issueCommentPayload, pullRequestPayload, signWebhook } from '../helpers/fake-github/webhooks.js';
import { spawnBot, type SpawnedBot } from '../helpers/spawn-bot.js';
import { Harness, REPO, SECRET } from './harness.js';
import { PrivateRedis } from './private-redis.js';

const GENERIC = /^\{"error":"the delivery could not be handled","correlation_id":"([0-9a-f]{16})"\}$/;

/** A `delete` delivery for `branch` (archiving it writes to the state store). */
function deletePayload(branch: string): Record<string, unknown> {
  const payload = issueCommentPayload('created', { id: 1, body: '', author: 'root', issueNumber: 1 }, REPO);
  delete payload['comment'];
  delete payload['issue'];
  delete payload['action'];
  return { ...payload, ref: branch, ref_type: 'branch', pusher_type: 'user' };
}

describe('a delivery that fails is answered without internal text (spawned app, real HTTP)', () => {
  let h: Harness;
  let redis: PrivateRedis;
  let bot: SpawnedBot;
  const hook = (): string => `${bot.url}/api/github/webhooks`;

  // Two app start-ups (the harness's and the spawned one) take most of a minute on a loaded 2-core machine.
  beforeAll(async () => {
    h = await Harness.start();
    redis = await PrivateRedis.start();
    bot = await spawnBot({ ...h.replicaEnv('errors'), REDIS_URL: redis.url, LOG_LEVEL: 'error', LOG_FORMAT: 'json' });
  }, 180_000);
  afterAll(async () => {
    await bot?.stop();
    await redis?.stop();
    await h?.close();
  });

  it('a signed but malformed delivery gets a generic 500 whose correlation id the log has', async () => {
    const payload = pullRequestPayload(
      'opened',
      { number: 1, headSha: 'a'.repeat(40), headRef: 'x', baseRef: 'main', body: '', author: 'alice' },
      REPO,
    );
    delete payload['repository'];
    payload['pull_request'] = null;
    const answer = await deliver(hook(), 'pull_request', payload, { secret: SECRET });
    expect(answer.status).toBe(500);
    const id = GENERIC.exec(answer.text)?.[1];
    expect(id, answer.text).toBeDefined();
    // The log line with that id carries what the answer left out.
    await expect.poll(() => bot.output()).toContain(id);
    const line =
      bot
        .output()
        .split('\n')
        .find((l) => l.includes(id!)) ?? '';
    expect(line).toMatch(/TypeError|Cannot read/);
  });

  it('a store error is the same generic answer, not the socket error', async () => {
    await redis.stop();
    const answer = await deliver(hook(), 'delete', deletePayload('feature/gone'), { secret: SECRET });
    expect(answer.status).toBe(500);
    expect(answer.text).toMatch(GENERIC);
    expect(answer.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|redis|Store/i);
  });

  it("the middleware's own refusals keep their meaning, in words that name nothing inside", async () => {
    const forged = await deliver(hook(), 'ping', { zen: 'x' }, { secret: 'not-the-secret' });
    expect(forged).toEqual({ status: 400, text: '{"error":"signature does not match event payload and secret"}' });
    const body = '{"action": ';
    const res = await fetch(hook(), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'ping',
        'x-github-delivery': 'd-1',
        'x-hub-signature-256': signWebhook(SECRET, body),
      },
      body,
    });
    expect({ status: res.status, text: await res.text() }).toEqual({
      status: 400,
      text: '{"error":"the body is not JSON"}',
    });
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  });
});
