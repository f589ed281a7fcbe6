import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiEnv, callApi, TOKENS } from '../api/api-harness.js';
import { Harness, REPO } from '../bot/harness.js';
import type { TestPull } from '../helpers/fake-github/webhooks.js';
import { addNullableColumn } from './fixtures.js';
import { IndexingStandIn } from './indexing-stand-in.js';
import { PrivateNats, privateNames } from './nats-support.js';

/** The `push` webhook GitHub sends when commits land on a branch. */
function pushPayload(before: string, after: string, sender: string): Record<string, unknown> {
  const [owner, name] = REPO.fullName.split('/');
  return {
    ref: 'refs/heads/main',
    before,
    after,
    created: false,
    deleted: false,
    forced: false,
    pusher: { name: sender },
    sender: { login: sender, type: 'User' },
    repository: { full_name: REPO.fullName, name, default_branch: 'main', owner: { login: owner } },
    installation: { id: REPO.installationId },
  };
}

/** applications.yaml with a nullable column added and a minor bump (a compatible change). */
function addApplicationNote(text: string): string {
  return text
    .replace(/^version: .*$/m, 'version: 1.3.0')
    .replace('columns:\n', 'columns:\n  - name: note\n    type: TEXT\n    nullable: true\n\n');
}

describe('seed 000 scenario 1 over NATS: merge → schema.changed → indexing started → completed', () => {
  let nats: PrivateNats;
  let h: Harness;
  let funnel: IndexingStandIn | undefined;
  let pull: TestPull;
  const names = privateNames();
  const freeze = () => h.fake.state.latestCheck('aegis/freeze', pull.headSha);

  beforeAll(async () => {
    nats = await PrivateNats.start();
    h = await Harness.start({
      ...apiEnv(),
      NATS_URL: nats.url,
      AEGIS_EVENTS_PREFIX: names.schemaChanged.split('.')[0],
      AEGIS_DEFAULT_REPO: REPO.fullName,
    });
    pull = await h.openSchemaPull(1, {
      schema: 'users',
      body: 'Add nicknames.\n\nFixes #100',
      edit: addNullableColumn,
    });
  });
  afterAll(async () => {
    await funnel?.close();
    await h.close();
    await nats.close();
  });

  it('loses nothing while NATS is down, then runs the scenario end to end with every step audited', async () => {
    expect(freeze()?.conclusion).toBe('success');
    // NATS goes down; a change to applications is merged on main meanwhile.
    await nats.stop();
    const before = await h.repo.sha('main');
    const apps = await h.repo.git('show', 'main:.kiro/schemas/applications.yaml');
    const after = await h.repo.commit('applications: note', {
      '.kiro/schemas/applications.yaml': addApplicationNote(apps),
    });
    // A push to a feature branch is not published (only the default branch and AEGIS_EVENTS_BRANCHES are).
    await h.send('push', { ...pushPayload(before, pull.headSha, 'alice'), ref: `refs/heads/${pull.headRef}` });
    await h.send('push', pushPayload(before, after, 'dave'));
    await h.send('push', pushPayload(before, after, 'dave'), 'redelivered-push');

    await nats.restart();
    funnel = await IndexingStandIn.start(nats.url, names);
    const changed = await funnel.next(0);
    expect(changed.data).toMatchObject({
      repository: REPO.fullName,
      branch: 'main',
      before,
      after,
      breaking: false,
      pusher: 'dave',
    });
    expect(changed.data.schemas).toEqual([
      expect.objectContaining({
        name: 'applications',
        owner: 'application-service',
        status: 'changed',
        version: '1.3.0',
        breaking: false,
      }),
    ]);

    // The indexing service locks the branch: the open PR's freeze check goes red.
    await funnel.send('indexing.started', 'evt-start-1', {
      repository: REPO.fullName,
      branch_name: 'main',
      indexing_id: 'idx-1',
      commit: after,
    });
    await h.fake.waitFor(() => freeze()?.conclusion === 'failure', 20_000, 'aegis/freeze red while indexing');
    expect(freeze()?.summary).toContain('funnel-service');
    // The same event sent again over HTTP is a duplicate: the transports share the dedupe key.
    const again = {
      id: 'evt-start-1',
      source: 'funnel-service',
      type: 'com.oms.indexing.started',
      data: { repository: REPO.fullName, branch_name: 'main', indexing_id: 'idx-1', commit: after },
    };
    const http = await callApi(h.bot.url, TOKENS.indexer, 'POST', 'events', again);
    expect(http.body).toMatchObject({ duplicate: true });

    // Indexing completes: green again.
    await funnel.send('indexing.completed', 'evt-done-1', {
      repository: REPO.fullName,
      branch_name: 'main',
      indexing_id: 'idx-1',
      commit: after,
      status: 'success',
      records_indexed: 1250,
      validation_results: { passed: true, errors: [] },
    });
    await h.fake.waitFor(() => freeze()?.conclusion === 'success', 20_000, 'aegis/freeze green after indexing');

    const audit = await h.bot.bot.freeze.queryAudit({ repo: REPO.fullName, branch: 'main', limit: 100 });
    const steps = audit.records
      .filter((r) => r.delivery?.startsWith('evt-'))
      .map((r) => [r.action, r.actor, r.delivery]);
    expect(steps).toEqual(
      expect.arrayContaining([
        ['indexing.started', 'funnel-service', 'evt-start-1'],
        ['indexing.completed', 'funnel-service', 'evt-done-1'],
      ]),
    );
    // The merge's schema.changed is audited once (the push was delivered twice).
    const published = audit.records.filter((r) => r.action === 'schema.changed');
    expect(published).toEqual([
      expect.objectContaining({
        actor: 'dave',
        delivery: changed.id,
        reason: `queued for ${names.schemaChanged}: applications`,
      }),
    ]);
    // The push, delivered twice, produced exactly one schema.changed.
    expect(funnel.received).toHaveLength(1);
    expect(h.fake.unexpected()).toEqual([]);
  });

  it('seed 001 scenario 2: a failure reported as indexing.completed status failed → ERROR, locks released, the PR told; a malformed event is audited', async () => {
    const ref = { repo: REPO.fullName, branch: 'main' };
    const commit = await h.repo.sha('main');
    // Seed-shaped: no repository; the bot's AEGIS_DEFAULT_REPO supplies it.
    await funnel!.send('indexing.started', 'evt-start-2', { branch_name: 'main', indexing_id: 'idx-2', commit });
    await h.fake.waitFor(() => freeze()?.conclusion === 'failure', 20_000, 'aegis/freeze red while indexing again');
    await funnel!.send('indexing.completed', 'evt-fail-2', {
      repository: REPO.fullName,
      branch_name: 'main',
      indexing_id: 'idx-2',
      commit,
      status: 'failed',
      error: 'elasticsearch cluster red',
    });
    await h.fake.waitFor(
      () => h.fake.state.comments.some((c) => c.issue === 1 && c.body.includes('elasticsearch cluster red')),
      20_000,
      'the PR told of the failure',
    );
    const state = await h.bot.bot.freeze.getBranchState(ref);
    expect(state.state).toBe('ERROR');
    expect(state.locks).toEqual([]);
    const failed = await h.bot.bot.freeze.queryAudit({ ...ref, action: 'indexing.failed' });
    expect(failed.records.map((r) => r.delivery)).toContain('evt-fail-2');

    await funnel!.send('indexing.failed', 'evt-bad-3', { repository: REPO.fullName });
    const rejected = async (): Promise<number> =>
      (await h.bot.bot.freeze.queryAudit({ repo: REPO.fullName, action: 'event.rejected' })).records.length;
    await vi.waitFor(async () => expect(await rejected()).toBe(1), { timeout: 20_000, interval: 100 });
  });
  it('seed 002 over NATS: the holder renews its lock on funnel.indexing.heartbeat; funnel.shadow.failed (and progress with status failed) → FAILED', async () => {
    const ref = { repo: REPO.fullName, branch: 'nats-hb' };
    await funnel!.send('indexing.started', 'evt-hb-start', {
      branch_name: 'nats-hb',
      indexing_id: 'idx-hb',
      ttl_seconds: 30,
    });
    const lockOf = async () => (await h.bot.bot.freeze.getBranchState(ref)).locks[0];
    await vi.waitFor(async () => expect(await lockOf()).toBeDefined(), { timeout: 20_000, interval: 100 });
    const first = (await lockOf())!;
    await funnel!.send('indexing.heartbeat', 'evt-hb-1', {
      branch_name: 'nats-hb',
      indexing_id: 'idx-hb',
      ttl_seconds: 600,
    });
    await vi.waitFor(async () => expect((await lockOf())?.expiresAt).toBeGreaterThan(first.expiresAt + 500_000), {
      timeout: 20_000,
      interval: 100,
    });
    expect((await lockOf())?.token).toBe(first.token);

    const build = async (indexType: string): Promise<string> => {
      const started = await callApi(h.bot.url, TOKENS.indexer, 'POST', 'shadow-index/start', {
        branch_name: 'main',
        index_type: indexType,
        tree_hash: 'f'.repeat(40),
      });
      return started.body['shadow_index_id'] as string;
    };
    const failedVia = async (id: string) =>
      vi.waitFor(async () => expect((await h.bot.bot.freeze.shadow.status(id)).state).toBe('FAILED'), {
        timeout: 20_000,
        interval: 100,
      });
    const one = await build('nats-a');
    await funnel!.send('shadow.failed', 'evt-sf-1', { branch_name: 'main', shadow_index_id: one, error: 'disk full' });
    await failedVia(one);
    expect((await h.bot.bot.freeze.shadow.status(one)).error).toBe('disk full');
    const two = await build('nats-b');
    await funnel!.send('shadow.progress', 'evt-sf-2', {
      branch_name: 'main',
      shadow_index_id: two,
      progress_percent: 40,
      status: 'failed',
      error: 'search cluster red',
    });
    await failedVia(two);
    const audit = await h.bot.bot.freeze.queryAudit({ repo: REPO.fullName, action: 'shadow.failed' });
    expect(audit.records.map((r) => r.delivery).sort()).toEqual(['evt-sf-1', 'evt-sf-2']);
  });
});
