import { beforeAll, describe, expect, it } from 'vitest';
import { repositoryDispatchPayload } from '../helpers/fake-github/webhooks.js';
import type { TestPull } from '../helpers/fake-github/webhooks.js';
import { RBAC_YAML, REPO } from '../bot/harness.js';
import { addColumn, callApi, startApiHarness, TOKENS } from './api-harness.js';
import { useHarness } from '../bot/use-harness.js';

/** A `repository_dispatch` delivery to the test repository. */
function dispatch(action: string, sender: string, clientPayload: Record<string, unknown>): Record<string, unknown> {
  return repositoryDispatchPayload(action, sender, clientPayload, REPO);
}

describe('repository_dispatch aegis.* events from a sender holding the indexer role', () => {
  const harness = useHarness(startApiHarness);
  let pull: TestPull;
  const freeze = () => harness().fake.state.latestCheck('aegis/freeze', pull.headSha)?.conclusion;
  const status = async () => (await callApi(harness().bot.url, TOKENS.viewer, 'GET', 'branch-locks/status/main')).body;

  beforeAll(async () => {
    const h = harness();
    // The policy on the default branch grants the indexing service's bot the indexer role.
    const policy = RBAC_YAML.replace('roles:\n', 'roles:\n  indexer: { permissions: ["index:*"] }\n').replace(
      'members:\n',
      'members:\n  "funnel-indexer[bot]": [indexer]\n',
    );
    await h.repo.commit('rbac: indexer role', { '.kiro/rbac.yaml': policy });
    pull = await h.openSchemaPull(1, {
      schema: 'users',
      body: 'Fixes #100',
      edit: (users) => addColumn(users, 'nickname'),
    });
  });

  it('the indexer starts and completes indexing through dispatch events; a redelivered event is processed once', async () => {
    const h = harness();
    await h.send(
      'repository_dispatch',
      dispatch('aegis.indexing.started', 'funnel-indexer[bot]', {
        id: 'evt-1',
        branch_name: 'main',
        indexing_id: 'idx-1',
      }),
    );
    expect(await status()).toMatchObject({ state: 'LOCKED_FOR_WRITE' });
    expect(freeze()).toBe('failure');
    const done = dispatch('aegis.indexing.completed', 'funnel-indexer[bot]', {
      id: 'evt-2',
      branch_name: 'main',
      indexing_id: 'idx-1',
      commit: 'abc',
    });
    await h.send('repository_dispatch', done, 'delivery-2');
    await h.send('repository_dispatch', done, 'delivery-2-retry');
    expect(await status()).toMatchObject({ state: 'READY' });
    expect(freeze()).toBe('success');
    const audit = await callApi(h.bot.url, TOKENS.admin, 'GET', 'audit?action=indexing.completed');
    expect(audit.body['records']).toHaveLength(1);
    expect((audit.body['records'] as { actor: string }[])[0]!.actor).toBe('funnel-indexer[bot]');
  });

  it('a sender without the indexer role changes nothing and the denial is audited', async () => {
    const h = harness();
    await h.send(
      'repository_dispatch',
      dispatch('aegis.indexing.started', 'alice', { id: 'evt-3', branch_name: 'main', indexing_id: 'idx-x' }),
    );
    expect(await status()).toMatchObject({ state: 'READY', locks: [] });
    const denied = await callApi(h.bot.url, TOKENS.admin, 'GET', 'audit?action=rbac.denied');
    expect((denied.body['records'] as { actor: string; reason: string }[])[0]).toMatchObject({ actor: 'alice' });
    expect((denied.body['records'] as { reason: string }[])[0]!.reason).toContain('index:start');
  });
});
