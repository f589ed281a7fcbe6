import { describe, expect, it } from 'vitest';
import { deliver, pullRequestPayload } from '../helpers/fake-github/webhooks.js';
import { REPO, SECRET } from '../bot/harness.js';
import { useHarness } from '../bot/use-harness.js';
import { startTwoReplicas } from './two-replicas.js';

describe('the parse cache, in the app’s store, survives a restart and is shared by replicas', () => {
  const harness = useHarness();

  it('the first event after a restart parses no file parsed before', async () => {
    const h = harness();
    const pull = await h.openSchemaPull(3, {
      schema: 'users',
      body: 'Fixes #3',
      edit: (users) => users.replace('version: 1.0.0', 'version: 1.0.1'),
    });
    expect(h.bot.bot.cache.parsed).toBeGreaterThan(0);
    await h.restart();
    await h.send('pull_request', pullRequestPayload('synchronize', pull, REPO));
    await h.fake.waitFor(() => h.checksFor(pull.headSha) >= 8, 20_000, 'checks again after the restart');
    expect(h.fake.state.latestCheck('aegis/validate', pull.headSha)?.conclusion).toBe('success');
    expect(h.bot.bot.cache.parsed).toBe(0);
  });

  it('a second replica on the same PostgreSQL parses no file the first parsed', async () => {
    const replicas = await startTwoReplicas('parsecache');
    const { h, second } = replicas;
    try {
      const pull = await h.openSchemaPull(4, {
        schema: 'users',
        body: 'Fixes #4',
        edit: (users) => users.replace('version: 1.0.0', 'version: 1.0.2'),
      });
      expect(h.bot.bot.cache.parsed).toBeGreaterThan(0);
      const payload = pullRequestPayload('synchronize', pull, REPO);
      await deliver(`${second.url}/api/github/webhooks`, 'pull_request', payload, { secret: SECRET });
      await h.fake.waitFor(() => h.checksFor(pull.headSha) >= 8, 20_000, 'checks from the second replica');
      expect(h.fake.state.latestCheck('aegis/validate', pull.headSha)?.conclusion).toBe('success');
      expect(second.bot.cache.parsed).toBe(0);
    } finally {
      await replicas.close();
    }
  });
});
