import { hashApiToken } from '@aegis/bot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../bot/harness.js';
import type { Harness } from '../bot/harness.js';
import { repositoryDispatchPayload } from '../helpers/fake-github/webhooks.js';
import { callApi, startApiHarness } from './api-harness.js';

/** Two admin tokens, each scoped to one repository: this suite's (the default) or another one. */
const TOKENS = { here: 'tok-scope-here-012345', other: 'tok-scope-other-01234' } as const;
const OTHER = 'acme/other';

const entries = [
  { name: 'registry-indexer', roles: ['admin'], token: TOKENS.here, repositories: [REPO.fullName] },
  { name: 'other-indexer', roles: ['admin'], token: TOKENS.other, repositories: [OTHER] },
].map(({ token, ...e }) => ({ ...e, sha256: hashApiToken(token) }));

describe('a shadow build addressed only by its id is judged in the repository it belongs to (#14)', () => {
  let h: Harness;
  const api = (token: string, method: 'GET' | 'POST', path: string, body?: unknown) =>
    callApi(h.bot.url, token, method, path, body);
  /** A build of `repo` made through the freeze facade (the request naming it carries no repository). */
  const build = async (repo: string, indexType: string): Promise<string> =>
    (
      await h.bot.bot.freeze.shadow.start(
        { repo, branch: 'main', indexType, resourceTypes: ['schema'], treeHash: 'f'.repeat(40) },
        { actor: 'setup' },
      )
    ).shadow.id;

  beforeAll(async () => {
    h = await startApiHarness({ AEGIS_API_TOKENS: JSON.stringify(entries) });
  });
  afterAll(async () => {
    await h.close();
  });

  it("a token scoped to this repository cannot read or cancel another repository's build by its id", async () => {
    const theirs = await build(OTHER, 'search');
    expect((await api(TOKENS.here, 'GET', `shadow-index/${theirs}/status`)).status).toBe(403);
    const cancel = await api(TOKENS.here, 'POST', `shadow-index/${theirs}/cancel`, { reason: 'not mine' });
    expect(cancel.status).toBe(403);
    expect((await h.bot.bot.freeze.shadow.status(theirs)).state).toBe('PREPARING');
    // The refusal is recorded where the build lives.
    const denied = await h.bot.bot.freeze.queryAudit({ repo: OTHER, action: 'api.denied' });
    expect(denied.records.map((r) => r.actor)).toContain('registry-indexer');
  });

  it('each token acts on the builds of its own repository by id', async () => {
    const ours = await build(REPO.fullName, 'graph');
    const cancelled = await api(TOKENS.here, 'POST', `shadow-index/${ours}/cancel`, { reason: 'mine' });
    expect([cancelled.status, cancelled.body['state']]).toEqual([200, 'CANCELLED']);
    const theirs = await build(OTHER, 'vectors');
    expect((await api(TOKENS.other, 'GET', `shadow-index/${theirs}/status`)).status).toBe(200);
    expect((await api(TOKENS.other, 'GET', `shadow-index/${ours}/status`)).status).toBe(403);
  });

  it("a repository_dispatch from this repository cannot cancel another repository's build by its id", async () => {
    const theirs = await build(OTHER, 'dispatch');
    const payload = { id: 'evt-foreign', shadow_index_id: theirs, reason: 'from elsewhere' };
    // root is an admin here (the harness's policy): still no authority over acme/other's build.
    await h.send('repository_dispatch', repositoryDispatchPayload('aegis.shadow.cancelled', 'root', payload, REPO));
    expect((await h.bot.bot.freeze.shadow.status(theirs)).state).toBe('PREPARING');
    const denied = await h.bot.bot.freeze.queryAudit({ repo: OTHER, action: 'rbac.denied' });
    expect(denied.records.map((r) => [r.actor, r.reason])).toContainEqual([
      'root',
      `shadow build ${theirs} belongs to another repository than ${REPO.fullName}`,
    ]);
    const ours = await build(REPO.fullName, 'dispatch');
    const mine = { id: 'evt-own', shadow_index_id: ours, reason: 'mine' };
    await h.send('repository_dispatch', repositoryDispatchPayload('aegis.shadow.cancelled', 'root', mine, REPO));
    expect((await h.bot.bot.freeze.shadow.status(ours)).state).toBe('CANCELLED');
  });
});
