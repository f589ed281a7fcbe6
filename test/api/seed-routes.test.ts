import { describe, expect, it } from 'vitest';
import { harnessViews, startApiHarness, TOKENS } from './api-harness.js';
import { useHarness } from '../bot/use-harness.js';

/**
 * Issue 16 items 1–4 and 9 through the HTTP API (real HTTP, the spawned app's stores): heartbeat and repeated
 * start, FAILED for shadow builds, the seed's switch body and answer, set-state and force-unlock without a body.
 */
describe('seed routes and fields of the indexing API', () => {
  const harness = useHarness(startApiHarness);
  const { api } = harnessViews(harness);
  const shadowStart = (body: Record<string, unknown>) =>
    api(TOKENS.indexer, 'POST', 'shadow-index/start', {
      branch_name: 'main',
      index_type: 'SEARCH_INDEX',
      resource_types: ['object_type', 'link_type'],
      ...body,
    });

  it('the holder renews its indexing lock by heartbeat; start sent again is not a conflict; a stale token is refused', async () => {
    const start = { indexing_id: 'idx-hb', ttl_seconds: 6 };
    const first = await api(TOKENS.indexer, 'POST', 'branch-locks/indexing/hb/start', start);
    expect(first.status).toBe(201);
    const token = (first.body['lock'] as { token: number }).token;
    const again = await api(TOKENS.indexer, 'POST', 'branch-locks/indexing/hb/start', start);
    expect(again.status).toBe(201);
    expect((again.body['lock'] as { token: number }).token).toBe(token);
    // Beats every second for 8 s, past the 6 s TTL.
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      const beat = await api(TOKENS.indexer, 'POST', 'branch-locks/indexing/hb/heartbeat', { fencing_token: token });
      expect(beat.body).toMatchObject({ branch: 'hb' });
      expect(beat.status).toBe(200);
    }
    const status = await api(TOKENS.viewer, 'GET', 'branch-locks/status/hb');
    expect(status.body).toMatchObject({ state: 'LOCKED_FOR_WRITE' });
    const stale = await api(TOKENS.indexer, 'POST', 'branch-locks/indexing/hb/heartbeat', { fencing_token: token + 7 });
    expect(stale.status).toBe(409);
    const unnamed = await api(TOKENS.indexer, 'POST', 'branch-locks/indexing/hb/heartbeat', {});
    expect(unnamed.status).toBe(400);
  });

  it('a shadow build reports failure (status: failed, or the fail route): FAILED, audited, and the next build starts', async () => {
    const one = await shadowStart({ tree_hash: 't-1' });
    expect(one.status).toBe(201);
    const id = one.body['shadow_index_id'] as string;
    expect(one.body).toMatchObject({ state: 'PREPARING', build_progress_percent: 0, switch_ready: false });
    const failed = await api(TOKENS.indexer, 'POST', `shadow-index/${id}/progress`, {
      progress_percent: 40,
      status: 'failed',
      error: 'disk full on the search cluster',
    });
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ state: 'FAILED', error: 'disk full on the search cluster' });
    const two = await shadowStart({ tree_hash: 't-2' });
    expect(two.status).toBe(201);
    const gone = await api(TOKENS.indexer, 'POST', `shadow-index/${two.body['shadow_index_id'] as string}/fail`, {
      error: 'indexer crashed',
    });
    expect(gone.body).toMatchObject({ state: 'FAILED' });
    const audit = await api(TOKENS.viewer, 'GET', 'audit?action=shadow.failed');
    expect((audit.body['records'] as unknown[]).length).toBe(2);
    expect((await shadowStart({ tree_hash: 't-3' })).status).toBe(201);
  });

  it("the seed's switch body cannot switch a stale index in; a fresh one answers with the seed's fields", async () => {
    const seedBody = {
      force_switch: false,
      validation_checks: ['RECORD_COUNT_VALIDATION', 'SIZE_COMPARISON'],
      backup_current: true,
      switch_timeout_seconds: 10,
    };
    const stale = await shadowStart({ index_type: 'GRAPH_INDEX', tree_hash: 'built-before-main-moved' });
    const staleId = stale.body['shadow_index_id'] as string;
    await api(TOKENS.indexer, 'POST', `shadow-index/${staleId}/complete`, {
      index_size_bytes: 52428800,
      record_count: 10000,
    });
    const refused = await api(TOKENS.indexer, 'POST', `shadow-index/${staleId}/switch`, seedBody);
    expect(refused.body).toMatchObject({ success: false, validation_passed: false, verification_passed: false });
    expect((refused.body['errors'] as string[])[0]).toMatch(/^INTEGRITY_CHECK: stale/);
    await api(TOKENS.indexer, 'POST', `shadow-index/${staleId}/cancel`, { reason: 'stale' });

    const fresh = await shadowStart({ index_type: 'GRAPH_INDEX' });
    const id = fresh.body['shadow_index_id'] as string;
    await api(TOKENS.indexer, 'POST', `shadow-index/${id}/complete`, {
      index_size_bytes: 52428800,
      record_count: 10000,
    });
    const status = await api(TOKENS.viewer, 'GET', `shadow-index/${id}/status`);
    expect(status.body).toMatchObject({
      shadow_index_id: id,
      branch_name: 'main',
      state: 'BUILT',
      build_progress_percent: 100,
      switch_ready: true,
      estimated_switch_duration_seconds: 1,
      index_size_bytes: 52428800,
    });
    const ok = await api(TOKENS.indexer, 'POST', `shadow-index/${id}/switch`, seedBody);
    expect(ok.body).toMatchObject({ success: true, validation_passed: true, verification_passed: true });
    expect(ok.body['switch_duration_ms']).toEqual(expect.any(Number));
    expect(ok.body['message']).toMatch(/^Index switch completed successfully in \d+ms$/);
  });

  it('set-state (admin, legal transitions only, audited) and force-unlock without a body', async () => {
    const h = harness();
    await api(TOKENS.indexer, 'POST', 'branch-locks/indexing/st/start', { indexing_id: 'idx-st' });
    await api(TOKENS.indexer, 'POST', 'branch-locks/indexing/st/fail', { indexing_id: 'idx-st', error: 'boom' });
    expect((await api(TOKENS.indexer, 'POST', 'branch-locks/set-state/st', { state: 'ACTIVE' })).status).toBe(403);
    const back = await api(TOKENS.admin, 'POST', 'branch-locks/set-state/st', {
      state: 'ACTIVE',
      reason: 'index rebuilt',
    });
    expect(back.body).toMatchObject({ from: 'ERROR', to: 'ACTIVE' });
    const illegal = await api(TOKENS.admin, 'POST', 'branch-locks/set-state/st', { state: 'READY' });
    expect(illegal.status).toBe(409);
    await api(TOKENS.indexer, 'POST', 'branch-locks/indexing/fu/start', { indexing_id: 'idx-fu' });
    const res = await fetch(`${h.bot.url}/aegis/api/v1/branch-locks/force-unlock/fu`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.admin}` },
    });
    expect(res.status).toBe(200);
    const audit = await api(TOKENS.viewer, 'GET', 'audit?action=branch.force-unlock');
    const rows = audit.body['records'] as { branch: string; reason: string }[];
    expect(rows.find((r) => r.branch === 'fu')?.reason).toBe('force-unlock (no reason given)');
    const set = await api(TOKENS.viewer, 'GET', 'audit?action=branch.state-changed');
    expect((set.body['records'] as { branch: string; actor: string }[]).find((r) => r.branch === 'st')?.actor).toBe(
      'ops-admin',
    );
  });
});
