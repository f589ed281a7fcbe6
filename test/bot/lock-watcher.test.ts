import { describe, expect, it } from 'vitest';
import { Harness, REPO } from './harness.js';
import { useHarness } from './use-harness.js';

describe('locks changed outside the bot (indexing service, TTL expiry)', () => {
  const harness = useHarness(() => Harness.start({ AEGIS_LOCK_SWEEP_MS: '100' }));

  it('re-runs aegis/freeze when the indexer locks a schema, and again when the lock expires', async () => {
    const h = harness();
    const pull = await h.openSchemaPull(40, {
      schema: 'users',
      body: 'Fixes #600',
      edit: (users) => users.replace('version: 1.0.0', 'version: 1.0.1').replace('Display name', 'Shown'),
    });
    const freeze = () => h.fake.state.latestCheck('aegis/freeze', pull.headSha);
    expect(freeze()?.conclusion).toBe('success');
    // The indexing service takes its lock through the store, not through GitHub.
    await h.bot.bot.freeze.acquireLock(
      {
        repo: REPO.fullName,
        branch: 'main',
        scope: 'RESOURCE_TYPE',
        resourceType: 'schema',
        holder: 'funnel-indexer',
        reason: 'indexing',
        ttlMs: 4000,
        meta: { indexingId: 'idx-7' },
      },
      { actor: 'funnel-indexer' },
    );
    await h.fake.waitFor(() => freeze()?.conclusion === 'failure', 20_000, 'freeze red after the indexer locked');
    expect(freeze()!.summary).toContain('indexing job `idx-7`');
    await h.fake.waitFor(() => freeze()?.conclusion === 'success', 20_000, 'freeze green after the lock expired');
  });
});
