import { beforeAll, describe, expect, it } from 'vitest';
import { issueCommentPayload, pullRequestPayload } from '../helpers/fake-github/webhooks.js';
import type { TestPull } from '../helpers/fake-github/webhooks.js';
import { REPO } from '../bot/harness.js';
import { addColumn, callApi, startApiHarness, TOKENS } from './api-harness.js';
import { useHarness } from '../bot/use-harness.js';

describe('indexing-service API (real HTTP, signed webhooks, fake GitHub on real git)', () => {
  const harness = useHarness(startApiHarness);
  let pull: TestPull;
  const api = (
    token: string | undefined,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => callApi(harness().bot.url, token, method, path, body, headers);
  const freeze = () => harness().fake.state.latestCheck('aegis/freeze', pull.headSha);
  const prComments = (n: number) =>
    harness().fake.state.comments.filter((c) => c.issue === n && c.user.endsWith('[bot]'));

  beforeAll(async () => {
    const h = harness();
    pull = await h.openSchemaPull(1, {
      schema: 'users',
      body: 'Add nicknames.\n\nFixes #100',
      edit: (users) => addColumn(users, 'nickname'),
    });
  });

  it('answers 401 without a valid token and 403 to a role without the permission; the OpenAPI document is public', async () => {
    expect((await api(undefined, 'GET', 'branch-locks/locks')).status).toBe(401);
    const wrong = await api('not-a-token', 'POST', 'branch-locks/indexing/main/start', { indexing_id: 'x' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const viewer = await api(TOKENS.viewer, 'POST', 'branch-locks/indexing/main/start', { indexing_id: 'x' });
    expect(viewer.status).toBe(403);
    expect(viewer.body['message']).toContain('index:start');
    expect((await api(TOKENS.viewer, 'GET', 'branch-locks/status/main')).body).toMatchObject({
      branch: 'main',
      state: 'ACTIVE',
    });
    const doc = await api(undefined, 'GET', 'openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body['paths'] as object)).toEqual(
      expect.arrayContaining([
        '/aegis/api/v1/branch-locks/indexing/{branch}/start',
        '/aegis/api/v1/shadow-index/{id}/switch',
        '/aegis/api/v1/registry',
      ]),
    );
    expect(freeze()?.conclusion).toBe('success');
  });

  it('indexing start turns the open PR red; a write check answers 423 with the seed body; completion turns it green', async () => {
    const h = harness();
    const started = await api(TOKENS.indexer, 'POST', 'branch-locks/indexing/main/start', {
      indexing_id: 'idx-1',
      commit_hash: await h.repo.sha('main'),
    });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ from: 'ACTIVE', to: 'LOCKED_FOR_WRITE', reevaluated: [1] });
    expect(freeze()).toMatchObject({ conclusion: 'failure' });
    expect(freeze()!.summary).toContain('funnel-service');

    const check = await api(TOKENS.viewer, 'GET', 'branch-locks/check/main?resources=schema:users');
    expect(check.status).toBe(423);
    expect(check.body).toMatchObject({ error: 'SchemaFrozen', message: "Branch 'main' is currently locked" });
    expect(check.body['reason']).toContain('funnel-service');
    expect(check.body['retry_after']).toBeGreaterThan(0);
    expect(check.headers.get('retry-after')).toBe(String(check.body['retry_after']));
    const again = await api(TOKENS.admin, 'POST', 'branch-locks/indexing/main/start', { indexing_id: 'idx-2' });
    expect(again.status).toBe(423);

    const done = await api(TOKENS.indexer, 'POST', 'branch-locks/indexing/main/complete', {
      indexing_id: 'idx-1',
      records_indexed: 1250,
      validation_results: { passed: true, errors: [] },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ from: 'LOCKED_FOR_WRITE', to: 'READY', reevaluated: [1] });
    expect(done.body['duration_ms']).toBeGreaterThanOrEqual(0);
    expect(freeze()?.conclusion).toBe('success');
    expect((await api(TOKENS.viewer, 'GET', 'branch-locks/check/main?resources=schema:users')).status).toBe(200);
    const metrics = await (await fetch(`${h.bot.url}/metrics`)).text();
    expect(metrics).toMatch(/aegis_indexing_duration_seconds_count\{outcome="completed"\} 1/);
    expect(metrics).toMatch(/aegis_lock_conflicts_total 2/);
  });

  it('a failed indexing (CloudEvent) → ERROR, locks released, the PR and its issue told; a duplicate is processed once', async () => {
    expect(
      (await api(TOKENS.indexer, 'POST', 'branch-locks/indexing/main/start', { indexing_id: 'idx-3' })).status,
    ).toBe(201);
    expect(freeze()?.conclusion).toBe('failure');
    const event = {
      id: 'evt-fail-1',
      source: 'funnel-service',
      type: 'com.oms.indexing.completed',
      data: {
        branch_name: 'main',
        indexing_id: 'idx-3',
        status: 'failed',
        error: 'elasticsearch cluster red',
        commit_hash: 'c0ffee',
      },
    };
    const first = await api(TOKENS.indexer, 'POST', 'events', event);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ duplicate: false, operation: 'indexing.failed' });
    const second = await api(TOKENS.indexer, 'POST', 'events', event);
    expect(second.body).toMatchObject({ duplicate: true, operation: 'indexing.failed' });

    const status = await api(TOKENS.viewer, 'GET', 'branch-locks/status/main');
    expect(status.body).toMatchObject({ state: 'ERROR', locks: [] });
    expect(freeze()?.conclusion).toBe('success');
    const told = prComments(1).filter((c) => c.body.includes('elasticsearch cluster red'));
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain('ERROR');
    const issue = prComments(100).find((c) => c.body.includes('aegis-audit'));
    expect(issue?.body).toContain('indexing.failed.notified');
    const audit = await api(TOKENS.admin, 'GET', 'audit?action=indexing.failed');
    expect((audit.body['records'] as unknown[]).length).toBe(1);
  });

  it("a failed indexing of a PR's head branch tells that PR and its issue; audit?issue=200 finds it without '#'", async () => {
    const h = harness();
    const two = await h.openSchemaPull(2, {
      schema: 'applications',
      body: 'Apps get a homepage.\n\nFixes #200',
      edit: (apps) => addColumn(apps, 'homepage'),
    });
    const start = { indexing_id: 'idx-head' };
    expect((await api(TOKENS.indexer, 'POST', `branch-locks/indexing/${two.headRef}/start`, start)).status).toBe(201);
    const failed = await api(TOKENS.indexer, 'POST', `branch-locks/indexing/${two.headRef}/fail`, {
      indexing_id: 'idx-head',
      error: 'mapping conflict on homepage',
    });
    expect(failed.body).toMatchObject({ to: 'ERROR' });
    const told = prComments(2).filter((c) => c.body.includes('mapping conflict on homepage'));
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain(`this PR's branch \`${two.headRef}\``);
    expect(prComments(1).some((c) => c.body.includes('mapping conflict'))).toBe(false);
    const issue = prComments(200).find((c) => c.body.includes('aegis-audit'));
    expect(issue?.body).toContain('indexing.failed.notified');
    const bare = await api(TOKENS.admin, 'GET', 'audit?issue=200&action=indexing.failed.notified');
    const hashed = await api(
      TOKENS.admin,
      'GET',
      `audit?issue=${encodeURIComponent('#200')}&action=indexing.failed.notified`,
    );
    expect((bare.body['records'] as unknown[]).length).toBe(1);
    expect(bare.body['records']).toEqual(hashed.body['records']);
  });

  it("indexing duration is the event's own started_at → completed_at (answer, audit and metric)", async () => {
    const h = harness();
    const branch = 'timed';
    await api(TOKENS.indexer, 'POST', `branch-locks/indexing/${branch}/start`, { indexing_id: 'idx-t' });
    const done = await api(TOKENS.indexer, 'POST', `branch-locks/indexing/${branch}/complete`, {
      indexing_id: 'idx-t',
      started_at: '2025-06-26T10:00:00Z',
      completed_at: '2025-06-26T10:30:00Z',
      status: 'success',
    });
    expect(done.body).toMatchObject({ to: 'READY', duration_ms: 1_800_000 });
    const audit = await api(TOKENS.admin, 'GET', 'audit?action=indexing.completed&branch=timed');
    expect((audit.body['records'] as { new: { durationMs: number } }[])[0]!.new.durationMs).toBe(1_800_000);
    const metrics = await (await fetch(`${h.bot.url}/metrics`)).text();
    const sum = /aegis_indexing_duration_seconds_sum\{outcome="completed"\} ([\d.]+)/.exec(metrics)?.[1];
    expect(Number(sum)).toBeGreaterThanOrEqual(1800);
    const bad = await api(TOKENS.indexer, 'POST', `branch-locks/indexing/${branch}/complete`, { started_at: 'soon' });
    expect(bad.status).toBe(400);
    expect(bad.body['message']).toContain('started_at');
  });

  it("audit rows carry an API caller's address and User-Agent, and a comment command's webhook delivery id", async () => {
    const h = harness();
    const ua = { 'user-agent': 'funnel-service/2.1 (seed 004)' };
    expect((await api(TOKENS.indexer, 'POST', 'branch-locks/indexing/audited/start', {}, ua)).status).toBe(201);
    expect((await api(TOKENS.viewer, 'POST', 'branch-locks/indexing/audited/start', {}, ua)).status).toBe(403);
    const rows = (await api(TOKENS.admin, 'GET', 'audit?branch=audited')).body['records'] as Record<string, unknown>[];
    for (const action of ['indexing.started', 'api.denied']) {
      const row = rows.find((r) => r['action'] === action);
      expect(row, action).toMatchObject({ user_agent: 'funnel-service/2.1 (seed 004)' });
      expect(row?.['ip_address'], action).toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/);
    }

    const id = 9_001;
    h.fake.state.comments.push({
      id,
      repo: REPO.fullName,
      issue: 1,
      body: '/auto-merge off',
      user: 'alice',
      updates: 0,
    });
    const payload = issueCommentPayload(
      'created',
      { id, body: '/auto-merge off', author: 'alice', issueNumber: 1 },
      REPO,
    );
    await h.send('issue_comment', payload, 'gh-delivery-9001');
    await h.fake.waitFor(() => prComments(1).some((c) => c.body.includes('Auto-merge is off')), 20_000, 'reply');
    const set = await api(TOKENS.admin, 'GET', 'audit?action=auto-merge.set&issue=100');
    expect((set.body['records'] as Record<string, unknown>[])[0]).toMatchObject({
      actor: 'alice',
      delivery: 'gh-delivery-9001',
      ip_address: null,
      user_agent: null,
    });
  });

  it('force-unlock needs the admin role and brings the branch back to ACTIVE', async () => {
    expect((await api(TOKENS.indexer, 'POST', 'branch-locks/force-unlock/main', { reason: 'x' })).status).toBe(403);
    const out = await api(TOKENS.admin, 'POST', `branch-locks/force-unlock/main?repo=${REPO.fullName}`, {
      reason: 'Funnel outage - emergency unlock',
    });
    expect(out.status).toBe(200);
    expect(out.body).toMatchObject({ branch: 'main', from: 'ERROR' });
    expect((await api(TOKENS.viewer, 'GET', 'branch-locks/status/main')).body['state']).toBe('ACTIVE');
  });

  it('serves the registry with its version hash as ETag, 304 when unchanged, and a delta since an older hash', async () => {
    const h = harness();
    const full = await api(TOKENS.viewer, 'GET', 'registry');
    expect(full.status).toBe(200);
    const etag = full.headers.get('etag')!;
    expect(full.body).toMatchObject({ kind: 'full', version_hash: etag.replaceAll('"', '') });
    expect((full.body['files'] as { path: string }[]).map((f) => f.path)).toContain('.kiro/schemas/users.yaml');
    expect((await api(TOKENS.viewer, 'GET', 'registry?ref=main', undefined, { 'if-none-match': etag })).status).toBe(
      304,
    );

    const apps = await h.repo.git('show', 'main:.kiro/schemas/applications.yaml');
    await h.repo.commit('apps: add a column', { '.kiro/schemas/applications.yaml': addColumn(apps, 'homepage') });
    const delta = await api(TOKENS.viewer, 'GET', `registry?ref=main&since=${etag.replaceAll('"', '')}`);
    expect(delta.status).toBe(200);
    expect(delta.body).toMatchObject({ kind: 'delta', removed: [] });
    const changed = delta.body['changed'] as { path: string; content: string }[];
    expect(changed.map((c) => c.path)).toEqual(['.kiro/schemas/applications.yaml']);
    expect(changed[0]!.content).toContain('homepage');
    expect(delta.headers.get('etag')).not.toBe(etag);
  });

  it('answers 400 naming the bad field, 404 for an unknown build, 409 for an illegal transition, 405 for the wrong method', async () => {
    const h = harness();
    const bad = await api(TOKENS.indexer, 'POST', 'shadow-index/shadow-x/progress', { progress_percent: 'lots' });
    expect(bad).toMatchObject({ status: 400, body: { error: 'BadRequest' } });
    expect(bad.body['message']).toContain('progress_percent');
    expect((await api(TOKENS.indexer, 'GET', 'shadow-index/shadow-nope/status')).status).toBe(404);
    const illegal = await api(TOKENS.indexer, 'POST', 'branch-locks/indexing/main/complete', { indexing_id: 'none' });
    expect(illegal.status).toBe(409);
    expect(illegal.body['message']).toContain('ACTIVE');
    expect((await api(TOKENS.indexer, 'GET', 'branch-locks/indexing/main/start')).status).toBe(405);
    expect((await api(TOKENS.indexer, 'GET', 'no/such/route')).status).toBe(404);
    const notJson = await fetch(`${h.bot.url}/aegis/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.indexer}` },
      body: '{oops',
    });
    expect(notJson.status).toBe(400);
  });

  it('an indexed (READY) head branch becomes ACTIVE when its PR is merged by hand (seed 000: READY → ACTIVE)', async () => {
    const h = harness();
    expect(
      (await api(TOKENS.indexer, 'POST', `branch-locks/indexing/${pull.headRef}/start`, { indexing_id: 'idx-h' }))
        .status,
    ).toBe(201);
    expect(
      (await api(TOKENS.indexer, 'POST', `branch-locks/indexing/${pull.headRef}/complete`, { indexing_id: 'idx-h' }))
        .body['to'],
    ).toBe('READY');
    const merged = { ...pull, state: 'closed' as const, merged: true };
    h.fake.state.setPull(REPO.fullName, merged);
    await h.send('pull_request', pullRequestPayload('closed', merged, REPO));
    expect((await api(TOKENS.viewer, 'GET', `branch-locks/status/${pull.headRef}`)).body).toMatchObject({
      state: 'ACTIVE',
      reason: 'PR #1 merged',
    });
  });
});
