import { describe, expect, it } from 'vitest';
import { REPO } from '../bot/harness.js';
import { harnessViews, startApiHarness, TOKENS } from './api-harness.js';
import { useHarness } from '../bot/use-harness.js';

/** A minimal signed-webhook payload of the repository for `push` and `delete`. */
const payload = (extra: Record<string, unknown>) => ({
  repository: { full_name: REPO.fullName, default_branch: 'main', name: 'registry', owner: { login: 'acme' } },
  installation: { id: REPO.installationId },
  sender: { login: 'alice', type: 'User' },
  ...extra,
});
const ZERO = '0'.repeat(40);

/** Issue 16 item 5: ARCHIVED on branch deletion, READY times out to ACTIVE (webhooks and the API, real HTTP). */
describe('branch lifecycle through webhooks', () => {
  const harness = useHarness(() => startApiHarness({ AEGIS_READY_TIMEOUT_SECONDS: '2' }));
  const { api } = harnessViews(harness);
  const state = async (branch: string) =>
    (await api(TOKENS.viewer, 'GET', `branch-locks/status/${encodeURIComponent(branch)}`)).body;

  it('a push deleting a branch archives it and releases its locks; a delete event again changes nothing; re-created, it is ACTIVE', async () => {
    const h = harness();
    const started = await api(TOKENS.indexer, 'POST', 'branch-locks/indexing/feature%2Fgone/start', {
      indexing_id: 'i-1',
    });
    expect(started.status).toBe(201);
    expect(await state('feature/gone')).toMatchObject({ state: 'LOCKED_FOR_WRITE' });
    await h.send(
      'push',
      payload({ ref: 'refs/heads/feature/gone', before: 'a'.repeat(40), after: ZERO, deleted: true }),
    );
    expect(await state('feature/gone')).toMatchObject({ state: 'ARCHIVED', locks: [] });
    await h.send('delete', payload({ ref: 'feature/gone', ref_type: 'branch', pusher_type: 'user' }));
    const audit = await api(TOKENS.viewer, 'GET', 'audit?action=branch.archived');
    const rows = (audit.body['records'] as { branch: string; actor: string }[]).filter(
      (r) => r.branch === 'feature/gone',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.actor).toBe('alice');
    await h.send(
      'push',
      payload({ ref: 'refs/heads/feature/gone', before: ZERO, after: 'b'.repeat(40), created: true }),
    );
    expect(await state('feature/gone')).toMatchObject({ state: 'ACTIVE' });
  });

  it('the delete event alone archives a branch; a tag deletion is ignored', async () => {
    const h = harness();
    await api(TOKENS.indexer, 'POST', 'branch-locks/indexing/old/start', { indexing_id: 'i-2' });
    await h.send('delete', payload({ ref: 'v1.0', ref_type: 'tag', pusher_type: 'user' }));
    expect(await state('old')).toMatchObject({ state: 'LOCKED_FOR_WRITE' });
    await h.send('delete', payload({ ref: 'old', ref_type: 'branch', pusher_type: 'user' }));
    expect(await state('old')).toMatchObject({ state: 'ARCHIVED', locks: [] });
  });

  it('READY returns to ACTIVE after AEGIS_READY_TIMEOUT_SECONDS', async () => {
    await api(TOKENS.indexer, 'POST', 'branch-locks/indexing/release/start', { indexing_id: 'i-3' });
    await api(TOKENS.indexer, 'POST', 'branch-locks/indexing/release/complete', { indexing_id: 'i-3' });
    expect(await state('release')).toMatchObject({ state: 'READY' });
    const deadline = Date.now() + 10_000;
    while ((await state('release'))['state'] !== 'ACTIVE' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect(await state('release')).toMatchObject({ state: 'ACTIVE', reason: 'READY timed out' });
  });
});
