import { describe, expect, it } from 'vitest';
import { mergeWorld } from '../helpers/fake-github/merge-routes.js';
import { pullRequestPayload } from '../helpers/fake-github/webhooks.js';
import type { TestPull } from '../helpers/fake-github/webhooks.js';
import { REPO } from '../bot/harness.js';
import { addColumn, harnessViews, startApiHarness, TOKENS } from './api-harness.js';
import { useHarness } from '../bot/use-harness.js';

describe('shadow-switch auto-merge (API + comment commands, fake GitHub on real git)', () => {
  const harness = useHarness(startApiHarness);
  const { api, bodies, schema, pointer } = harnessViews(harness);

  async function shadowFor(pull: TestPull): Promise<string> {
    const started = await api(TOKENS.indexer, 'POST', 'shadow-index/start', {
      branch_name: 'main',
      index_type: 'search',
      commit: pull.headSha,
    });
    expect(started.status).toBe(201);
    return (started.body['shadow'] as { id: string }).id;
  }
  const complete = (id: string) =>
    api(TOKENS.indexer, 'POST', `shadow-index/${id}/complete`, { record_count: 1000, index_size_bytes: 52_428_800 });

  /** Pushes a new commit to a PR's branch and delivers `synchronize`; resolves when its checks ran. */
  async function push(pull: TestPull, files: Record<string, string>): Promise<TestPull> {
    const h = harness();
    const next = await h.pushTo(pull, files);
    const { headSha } = next;
    await h.send('pull_request', pullRequestPayload('synchronize', next, REPO));
    await h.fake.waitFor(() => h.checksFor(headSha) >= 4, 20_000, 'checks on the new head');
    return next;
  }

  it('builds a shadow index while the PR keeps passing, then switches it in, merges, and audits every step on the issue', async () => {
    const h = harness();
    const pull = await h.openPull(1, {
      author: 'alice',
      body: 'Nicknames.\n\nFixes #100',
      files: { '.kiro/schemas/users.yaml': addColumn(await schema('users'), 'nickname') },
    });
    const reply = await h.comment(1, 'alice', '/auto-merge');
    expect(reply).toContain('Auto-merge is on');
    expect(reply).toContain("no shadow index has been built from the head's schema tree");

    const id = await shadowFor(pull);
    const progress = await api(TOKENS.indexer, 'POST', `shadow-index/${id}/progress`, {
      progress_percent: 40,
      estimated_completion_seconds: 90,
    });
    expect(progress.body['shadow']).toMatchObject({ state: 'BUILDING', progress_percent: 40, eta_seconds: 90 });
    // No lock while building: the PR's freeze check stays green and writes are allowed.
    expect((await api(TOKENS.viewer, 'GET', 'branch-locks/check/main?resources=schema:users')).status).toBe(200);
    expect(h.fake.state.latestCheck('aegis/freeze', pull.headSha)?.conclusion).toBe('success');

    const done = await complete(id);
    expect(done.status).toBe(200);
    expect(mergeWorld(h.fake.state).merged).toEqual([1]);
    expect(await pointer()).toBe(id);
    expect(await h.repo.git('log', '-1', '--format=%s', 'main')).toBe('Merge #1 (Aegis auto-merge)');
    expect(bodies(1).some((b) => b.startsWith('✅ Auto-merged') && b.includes(id))).toBe(true);
    const audit = bodies(100).find((b) => b.includes('aegis-audit'))!;
    for (const action of ['auto-merge.set', 'auto-merge.switched', 'auto-merge.merged'])
      expect(audit).toContain(action);
    const metrics = await (await fetch(`${h.bot.url}/metrics`)).text();
    expect(metrics).toMatch(/aegis_switch_duration_seconds_count\{outcome="switched"\} 1/);
  });

  it('rolls the switch back when GitHub refuses the merge', async () => {
    const h = harness();
    const pull = await h.openPull(2, {
      author: 'alice',
      body: 'Homepages.\n\nRefs #101',
      files: { '.kiro/schemas/applications.yaml': addColumn(await schema('applications'), 'homepage') },
    });
    mergeWorld(h.fake.state).refuse.set(2, 'At least 1 approving review is required');
    expect(await h.comment(2, 'alice', '/auto-merge')).toContain('Auto-merge is on');
    const before = await pointer();
    const id = await shadowFor(pull);
    await complete(id);
    expect(mergeWorld(h.fake.state).merged).toEqual([1]);
    expect(await pointer()).toBe(before);
    const told = bodies(2).find((b) => b.startsWith('↩️'));
    expect(told).toContain('approving review');
    expect(told).toContain(`rolled back to \`${before}\``);
    const audit = bodies(101).find((b) => b.includes('aegis-audit'))!;
    expect(audit).toContain('auto-merge.switched');
    expect(audit).toContain('auto-merge.rolled-back');
  });

  it('never switches in a stale shadow (built before the PR’s last push)', async () => {
    const h = harness();
    const users = addColumn(await schema('users'), 'avatar', '1.2.0');
    const first = await h.openPull(3, {
      author: 'alice',
      body: 'Avatars.\n\nRefs #102',
      files: { '.kiro/schemas/users.yaml': users },
    });
    await h.comment(3, 'alice', '/auto-merge');
    const id = await shadowFor(first);
    const pushed = await push(first, { '.kiro/schemas/users.yaml': users.replace('VARCHAR(50)', 'VARCHAR(60)') });
    const before = await pointer();
    await complete(id);
    expect(mergeWorld(h.fake.state).merged).not.toContain(3);
    expect(await pointer()).toBe(before);
    expect(
      bodies(3).some((b) => b.includes('Auto-merge is waiting') && b.includes('a stale index never switches in')),
    ).toBe(true);
    // Asked directly, the switch is refused by INTEGRITY_CHECK too (the build is not the branch's tree).
    const forced = await api(TOKENS.indexer, 'POST', `shadow-index/${id}/switch`, {});
    expect(forced.body).toMatchObject({ success: false });
    expect(JSON.stringify(forced.body['checks'])).toContain('INTEGRITY_CHECK');
    expect(pushed.headSha).not.toBe(first.headSha);
    // The indexer gives up on it; only then may the next build of the branch start.
    const cancelled = await api(TOKENS.indexer, 'POST', `shadow-index/${id}/cancel`, { reason: 'stale' });
    expect(cancelled.body['shadow']).toMatchObject({ state: 'CANCELLED' });
  });

  it('failed validation blocks auto-merge of an indexed branch; a passing re-index merges it (seed 001)', async () => {
    const h = harness();
    const pull = await h.openPull(4, {
      author: 'alice',
      body: 'Locales.\n\nRefs #103',
      files: { '.kiro/schemas/applications.yaml': addColumn(await schema('applications'), 'locale') },
    });
    await h.comment(4, 'alice', '/auto-merge');
    const branch = pull.headRef;
    expect(
      (
        await api(TOKENS.indexer, 'POST', `branch-locks/indexing/${branch}/start`, {
          indexing_id: 'idx-a',
          commit_hash: pull.headSha,
        })
      ).status,
    ).toBe(201);
    const failed = await api(TOKENS.indexer, 'POST', `branch-locks/indexing/${branch}/complete`, {
      indexing_id: 'idx-a',
      commit_hash: pull.headSha,
      validation_results: { passed: false, errors: ['user.locale: unknown analyzer'] },
    });
    expect(failed.body).toMatchObject({ to: 'READY', auto_merge: [{ pull: 4, merged: false }] });
    expect(bodies(4).some((b) => b.includes("the indexer's validation failed: user.locale: unknown analyzer"))).toBe(
      true,
    );
    expect(mergeWorld(h.fake.state).merged).not.toContain(4);
    expect((await api(TOKENS.viewer, 'GET', `branch-locks/status/${branch}`)).body['state']).toBe('READY');

    expect(
      (await api(TOKENS.indexer, 'POST', `branch-locks/indexing/${branch}/start`, { indexing_id: 'idx-b' })).status,
    ).toBe(201);
    const passed = await api(TOKENS.indexer, 'POST', `branch-locks/indexing/${branch}/complete`, {
      indexing_id: 'idx-b',
      commit_hash: pull.headSha,
      validation_results: { passed: true, errors: [] },
    });
    expect(passed.body, JSON.stringify(passed.body['auto_merge'])).toMatchObject({
      auto_merge: [{ pull: 4, merged: true }],
    });
    expect(mergeWorld(h.fake.state).merged).toContain(4);
    expect((await api(TOKENS.viewer, 'GET', `branch-locks/status/${branch}`)).body['state']).toBe('ACTIVE');
  });

  it('/shadow status lists the builds and the pointer; /shadow rollback needs index:rollback', async () => {
    const h = harness();
    const active = await pointer();
    const status = await h.comment(3, 'alice', '/shadow status');
    expect(status).toContain(`active \`${active}\``);
    expect(status).toContain('| ACTIVE |');
    expect(status).toContain('| CANCELLED |');
    expect(await h.comment(3, 'alice', '/shadow rollback')).toContain('⛔ Refused');
    const back = await h.comment(3, 'root', '/shadow rollback');
    expect(back).toContain('Rolled main');
    expect(await pointer()).not.toBe(active);
  });

  it('merges once the last failing check turns green after the shadow was built (the check run triggers it)', async () => {
    const h = harness();
    const text = await schema('users');
    const version = /version: (\d+)\.(\d+)\.\d+/.exec(text)!;
    const bumped = text
      .replace(version[0], `version: ${version[1]}.${Number(version[2]) + 1}.0`)
      .replace('columns:\n', 'columns:\n  - name: pronouns\n    type: VARCHAR(50)\n    nullable: true\n\n');
    const pull = await h.openPull(5, {
      author: 'alice',
      body: 'Pronouns, no issue yet.',
      files: { '.kiro/schemas/users.yaml': bumped },
    });
    expect(h.fake.state.latestCheck('aegis/audit', pull.headSha)?.conclusion).toBe('failure');
    await h.comment(5, 'alice', '/auto-merge');
    const id = await shadowFor(pull);
    await complete(id);
    expect(mergeWorld(h.fake.state).merged).not.toContain(5);
    expect(bodies(5).some((b) => b.includes('`aegis/audit` is failure'))).toBe(true);

    const linked = { ...pull, body: 'Pronouns.\n\nFixes #104' };
    h.fake.state.setPull(REPO.fullName, linked);
    await h.send('pull_request', pullRequestPayload('edited', linked, REPO));
    await h.fake.waitFor(() => mergeWorld(h.fake.state).merged.includes(5), 20_000, 'PR #5 merged');
    expect(await pointer()).toBe(id);
    expect(bodies(104).find((b) => b.includes('aegis-audit'))).toContain('auto-merge.merged');
  });
});
