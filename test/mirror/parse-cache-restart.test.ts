import { describe, expect, it } from 'vitest';
import { pullRequestPayload } from '../helpers/fake-github/webhooks.js';
import { REPO } from '../bot/harness.js';
import { useHarness } from '../bot/use-harness.js';

describe('the parse cache survives a restart', () => {
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
});
