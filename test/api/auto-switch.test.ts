import { describe, expect, it } from 'vitest';
import { REPO } from '../bot/harness.js';
import { callApi, startApiHarness, TOKENS } from './api-harness.js';
import { useHarness } from '../bot/use-harness.js';

describe('AEGIS_SHADOW_AUTO_SWITCH=on (seed 002 auto-switch)', () => {
  const harness = useHarness(() => startApiHarness({ AEGIS_SHADOW_AUTO_SWITCH: 'on' }));
  const api = (method: 'GET' | 'POST', path: string, body?: unknown) =>
    callApi(harness().bot.url, TOKENS.indexer, method, path, body);
  const pointer = () => harness().bot.bot.freeze.shadow.pointer({ repo: REPO.fullName, branch: 'main' }, 'search');
  const build = async (body: Record<string, unknown>): Promise<string> => {
    const started = await api('POST', 'shadow-index/start', { branch: 'main', index_type: 'search', ...body });
    const id = (started.body['shadow'] as { id: string }).id;
    expect(
      (await api('POST', `shadow-index/${id}/complete`, { record_count: 100, index_size_bytes: 4096 })).status,
    ).toBe(200);
    return id;
  };

  it('switches in a build of the branch head’s tree as soon as it completes, and leaves any other build BUILT', async () => {
    const current = await build({});
    expect((await pointer()).active).toBe(current);
    expect((await api('GET', `shadow-index/${current}/status`)).body['shadow']).toMatchObject({ state: 'ACTIVE' });

    const other = await build({ tree_hash: 'c'.repeat(40) });
    expect((await api('GET', `shadow-index/${other}/status`)).body).toMatchObject({
      state: 'BUILT',
      switch_ready: true,
    });
    expect((await pointer()).active).toBe(current);
  });
});
