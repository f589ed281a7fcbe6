import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, databaseUrl } from '../helpers/postgres-admin.js';
import { spawnBot, type SpawnedBot } from '../helpers/spawn-bot.js';
import { mergeWorld } from '../helpers/fake-github/merge-routes.js';
import type { TestPull } from '../helpers/fake-github/webhooks.js';
import { Harness } from '../bot/harness.js';
import { PrivateRedis } from '../bot/private-redis.js';
import { addColumn, apiEnv, callApi, TOKENS } from './api-harness.js';

describe('two aegis bot processes on one Redis and one PostgreSQL behave as one', () => {
  const database = `aegis_api_${process.pid}_${Date.now()}`;
  let redis: PrivateRedis;
  let h: Harness;
  let b: SpawnedBot;
  let pulls: TestPull[];
  const on = (url: string) => (token: string, method: 'GET' | 'POST', p: string, body?: unknown) =>
    callApi(url, token, method, p, body);
  let A: ReturnType<typeof on>;
  let B: ReturnType<typeof on>;
  const freeze = (p: TestPull) => h.fake.state.latestCheck('aegis/freeze', p.headSha)?.conclusion;

  beforeAll(async () => {
    await adminQuery(`CREATE DATABASE ${database}`);
    redis = await PrivateRedis.start();
    const shared = { ...apiEnv(), REDIS_URL: redis.url, DATABASE_URL: databaseUrl(database) };
    h = await Harness.start(shared);
    b = await spawnBot(h.replicaEnv('b'));
    A = on(h.bot.url);
    B = on(b.url);
    const schema = (n: string) => h.repo.git('show', `main:.kiro/schemas/${n}.yaml`);
    pulls = [
      await h.openPull(1, {
        author: 'alice',
        body: 'Fixes #100',
        files: { '.kiro/schemas/users.yaml': addColumn(await schema('users'), 'nickname') },
      }),
      await h.openPull(2, {
        author: 'alice',
        body: 'Fixes #101',
        files: { '.kiro/schemas/applications.yaml': addColumn(await schema('applications'), 'homepage') },
      }),
    ];
  });
  afterAll(async () => {
    expect(h.fake.unexpected()).toEqual([]);
    await b?.stop();
    await h?.close();
    await redis?.stop();
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  it('indexing started through B is seen by A; racing starts on both: one wins, the other gets 423', async () => {
    const [x, y] = await Promise.all([
      A(TOKENS.indexer, 'POST', 'branch-locks/indexing/main/start', { indexing_id: 'idx-a' }),
      B(TOKENS.indexer, 'POST', 'branch-locks/indexing/main/start', { indexing_id: 'idx-b' }),
    ]);
    expect([x.status, y.status].sort()).toEqual([201, 423]);
    const winner = x.status === 201 ? 'idx-a' : 'idx-b';
    for (const p of pulls) expect(freeze(p)).toBe('failure');
    const seen = await A(TOKENS.viewer, 'GET', 'branch-locks/status/main');
    expect(seen.body).toMatchObject({ state: 'LOCKED_FOR_WRITE' });
    expect((seen.body['locks'] as { meta: { indexing_id: string } }[])[0]?.meta.indexing_id).toBe(winner);
    expect((await B(TOKENS.viewer, 'GET', 'branch-locks/check/main?resources=schema:users')).status).toBe(423);
  });

  it('the same CloudEvent delivered to both replicas at once is processed exactly once', async () => {
    const event = {
      id: 'evt-replica-1',
      source: 'funnel-service',
      type: 'indexing.completed',
      data: { branch_name: 'main', commit_hash: 'abc123', validation_results: { passed: true, errors: [] } },
    };
    const answers = await Promise.all([
      A(TOKENS.indexer, 'POST', 'events', event),
      B(TOKENS.indexer, 'POST', 'events', event),
    ]);
    expect(answers.map((a) => a.body['duplicate']).sort()).toEqual([false, true]);
    const audit = await B(TOKENS.admin, 'GET', 'audit?action=indexing.completed');
    expect(audit.body['records']).toHaveLength(1);
    expect((await A(TOKENS.viewer, 'GET', 'branch-locks/status/main')).body['state']).toBe('READY');
    for (const p of pulls) expect(freeze(p)).toBe('success');
  });

  it('a shadow build reported across both replicas, with auto-merge asked on one, merges once', async () => {
    await h.comment(1, 'alice', '/auto-merge');
    const started = await B(TOKENS.indexer, 'POST', 'shadow-index/start', {
      branch: 'main',
      index_type: 'search',
      commit: pulls[0]!.headSha,
    });
    const id = (started.body['shadow'] as { id: string }).id;
    expect((await A(TOKENS.indexer, 'POST', `shadow-index/${id}/progress`, { progress_percent: 50 })).status).toBe(200);
    expect((await B(TOKENS.viewer, 'GET', `shadow-index/${id}/status`)).body['shadow']).toMatchObject({
      state: 'BUILDING',
      progress_percent: 50,
    });
    const done = await B(TOKENS.indexer, 'POST', `shadow-index/${id}/complete`, {
      record_count: 10,
      index_size_bytes: 1000,
    });
    expect(done.status).toBe(200);
    expect(mergeWorld(h.fake.state).merged).toEqual([1]);
    const pointer = await h.bot.bot.freeze.shadow.pointer({ repo: 'acme/registry', branch: 'main' }, 'search');
    expect(pointer.active).toBe(id);
    const dashboard = await A(TOKENS.viewer, 'GET', 'branch-locks/dashboard');
    expect((dashboard.body['audit'] as { action: string }[]).map((r) => r.action)).toContain('auto-merge.merged');
  });

  it('the same sequence of API calls and events gives the same outcome on one replica as spread over two', async () => {
    type Call = ReturnType<typeof on>;
    const run = async (branch: string, x: Call, y: Call): Promise<unknown> => {
      const codes: number[] = [];
      const step = async (p: Promise<{ status: number }>) => codes.push((await p).status);
      const evt = (id: string) => ({
        id: `${branch}-${id}`,
        source: 'funnel-service',
        type: 'com.oms.indexing.completed',
        data: { branch_name: branch, commit_hash: 'c1' },
      });
      await step(x(TOKENS.indexer, 'POST', `branch-locks/indexing/${branch}/start`, { indexing_id: 'i1' }));
      await step(y(TOKENS.indexer, 'POST', `branch-locks/indexing/${branch}/start`, { indexing_id: 'i2' }));
      await step(x(TOKENS.viewer, 'GET', `branch-locks/check/${branch}?resources=schema:users`));
      await Promise.all([
        step(x(TOKENS.indexer, 'POST', 'events', evt('done'))),
        step(y(TOKENS.indexer, 'POST', 'events', evt('done'))),
      ]);
      await step(y(TOKENS.indexer, 'POST', `branch-locks/indexing/${branch}/start`, { indexing_id: 'i3' }));
      await step(
        x(TOKENS.indexer, 'POST', `branch-locks/indexing/${branch}/fail`, { indexing_id: 'i3', error: 'boom' }),
      );
      await step(y(TOKENS.admin, 'POST', `branch-locks/force-unlock/${branch}`, { reason: 'recover' }));
      const started = await x(TOKENS.indexer, 'POST', 'shadow-index/start', {
        branch,
        index_type: 'search',
        tree_hash: 'b'.repeat(40),
      });
      const id = (started.body['shadow'] as { id: string }).id;
      await step(y(TOKENS.indexer, 'POST', `shadow-index/${id}/progress`, { progress_percent: 70 }));
      await step(x(TOKENS.indexer, 'POST', `shadow-index/${id}/complete`, { record_count: 5, index_size_bytes: 100 }));
      const switched = await y(TOKENS.indexer, 'POST', `shadow-index/${id}/switch`, {
        current_tree_hash: 'b'.repeat(40),
      });
      const status = await x(TOKENS.viewer, 'GET', `branch-locks/status/${branch}`);
      const audit = await y(TOKENS.admin, 'GET', `audit?branch=${branch}&limit=500`);
      return {
        codes: codes.sort(),
        switched: switched.body['success'],
        state: status.body['state'],
        locks: (status.body['locks'] as unknown[]).length,
        actions: (audit.body['records'] as { action: string }[]).map((r) => r.action).sort(),
      };
    };
    const single = await run('release-one', A, A);
    const spread = await run('release-two', A, B);
    expect(spread).toEqual(single);
    expect(single).toMatchObject({ switched: true, state: 'ACTIVE', locks: 0 });
  });
});
