import { beforeAll, describe, expect, it } from 'vitest';
import { pullRequestPayload } from '../helpers/fake-github/webhooks.js';
import { callApi, startApiHarness, TOKENS } from '../api/api-harness.js';
import { REPO } from './harness.js';
import { useHarness } from './use-harness.js';

/** Comment commands at their edges (#14, #16), through signed webhooks and the real HTTP API. */
describe('comment commands: options, closed PRs, index types and principals', () => {
  const harness = useHarness(startApiHarness);
  const main = { repo: REPO.fullName, branch: 'main' };
  const locks = async () => (await harness().bot.bot.freeze.getBranchState(main)).locks;
  const api = (token: string, method: 'GET' | 'POST', path: string, body?: unknown) =>
    callApi(harness().bot.url, token, method, path, body);

  beforeAll(async () => {
    const h = harness();
    // A GitHub account that happens to carry the indexer token's identity name, with write access.
    h.fake.state.permissions.set('funnel-service', 'write');
    h.fake.state.teams.get('acme/devs')?.add('funnel-service');
    await h.openSchemaPull(20, {
      schema: 'users',
      body: 'Fixes #400',
      edit: (users) => users.replace('version: 1.0.0', 'version: 1.0.1'),
    });
  });

  it('/lock --reason "x" --ttl 5m keeps the TTL out of the reason (#16)', async () => {
    const h = harness();
    const reply = await h.comment(20, 'root', '/lock users --reason "x" --ttl 5m');
    expect(reply).toContain('🔒 Locked');
    expect(reply).toMatch(/: x \(expires in ~5 min unless renewed\)/);
    expect(await locks()).toMatchObject([{ reason: 'x', ttlMs: 300_000 }]);
    expect(await h.comment(20, 'root', '/unlock')).toContain('Released');
  });

  it('/lock on a closed PR is refused and takes no lock (#14)', async () => {
    const h = harness();
    const doomed = await h.openSchemaPull(21, {
      schema: 'users',
      body: 'Fixes #401',
      edit: (users) => users.replace('version: 1.0.0', 'version: 1.0.2'),
    });
    const closed = { ...doomed, state: 'closed' as const };
    h.fake.state.setPull(REPO.fullName, closed);
    await h.send('pull_request', pullRequestPayload('closed', closed, REPO));
    const reply = await h.comment(21, 'root', '/lock --ttl 24h');
    expect(reply).toContain('Not locked: this pull request is closed.');
    expect(await locks()).toEqual([]);
  });

  it('/shadow status without an index type shows every type built on the branch (#16)', async () => {
    const h = harness();
    const started = await api(TOKENS.indexer, 'POST', 'shadow-index/start', {
      branch_name: 'main',
      index_type: 'SEARCH_INDEX',
    });
    expect(started.status).toBe(201);
    const id = (started.body['shadow'] as { id: string }).id;
    const done = await api(TOKENS.indexer, 'POST', `shadow-index/${id}/complete`, {
      record_count: 1000,
      index_size_bytes: 1_000_000,
    });
    expect(done.status).toBe(200);
    const switched = await api(TOKENS.indexer, 'POST', `shadow-index/${id}/switch`, {});
    expect(switched.body['success']).toBe(true);
    const reply = await h.comment(20, 'alice', '/shadow status');
    expect(reply).toContain(`**main** \`SEARCH_INDEX\` index: active \`${id}\`, previous \`none\`.`);
    expect(reply).not.toContain('search index');
    expect(reply).toMatch(new RegExp(`\\| \`${id}\` \\| \`SEARCH_INDEX\` \\| ACTIVE \\|`));
  });

  it('a GitHub login equal to an API identity cannot /unlock that identity’s lock (#14)', async () => {
    const h = harness();
    const started = await api(TOKENS.indexer, 'POST', 'branch-locks/indexing/main/start', { indexing_id: 'idx-ns' });
    expect(started.status).toBe(201);
    const lock = (await locks())[0];
    expect(lock).toMatchObject({ holder: 'funnel-service', kind: 'INDEXING' });
    const reply = await h.comment(20, 'funnel-service', `/unlock ${lock!.id}`);
    expect(reply).toContain(`\`${lock!.id}\` is held by funnel-service, not by you or this PR`);
    expect((await locks()).map((l) => l.id)).toEqual([lock!.id]);
    const completed = await api(TOKENS.indexer, 'POST', 'branch-locks/indexing/main/complete', {
      indexing_id: 'idx-ns',
    });
    expect(completed.status).toBe(200);
  });
});
