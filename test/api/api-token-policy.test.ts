import { hashApiToken } from '@aegis/bot';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../bot/harness.js';
import { callApi, startApiHarness } from './api-harness.js';
import { useHarness } from '../bot/use-harness.js';

/** Tokens of this suite: each names an identity, roles and, for two, the repositories it may act on. */
const TOKENS = {
  indexer: 'tok-policy-indexer-0123',
  auditor: 'tok-policy-auditor-0123',
  viewer: 'tok-policy-viewer-01234',
  developer: 'tok-policy-developer-01',
  elsewhere: 'tok-policy-elsewhere-01',
  here: 'tok-policy-here-0123456',
} as const;

const entries = [
  { name: 'funnel-service', roles: ['indexer'], token: TOKENS.indexer },
  { name: 'compliance', roles: ['auditor'], token: TOKENS.auditor },
  { name: 'grafana', roles: ['viewer'], token: TOKENS.viewer },
  { name: 'dev-tools', roles: ['developer'], token: TOKENS.developer },
  { name: 'other-indexer', roles: ['admin'], token: TOKENS.elsewhere, repositories: ['acme/other'] },
  { name: 'registry-reader', roles: ['developer'], token: TOKENS.here, repositories: [REPO.fullName] },
].map(({ token, ...e }) => ({ ...e, sha256: hashApiToken(token) }));

/** The repository's policy defines indexer, auditor and viewer narrowly, and no developer role. */
const POLICY = `roles:
  admin: { permissions: ["*"] }
  indexer: { permissions: [branch:read] }
  auditor: { permissions: [audit:read] }
  viewer: { permissions: [schema:read] }
members:
  "@acme/platform": [admin]
`;

describe('API tokens: roles from the repository policy, scoped to repositories (#13, #14)', () => {
  const harness = useHarness(() => startApiHarness({ AEGIS_API_TOKENS: JSON.stringify(entries) }));
  const api = (token: string, method: 'GET' | 'POST', path: string, body?: unknown) =>
    callApi(harness().bot.url, token, method, path, body);

  beforeAll(async () => {
    const h = harness();
    // Before the first API call: the policy the tokens are judged by is the one on main from then on.
    await h.repo.commit('rbac: service roles', { '.kiro/rbac.yaml': POLICY });
  });

  it("a role the policy defines has exactly the policy's permissions, narrower than the built-in one", async () => {
    const h = harness();
    const start = await api(TOKENS.indexer, 'POST', 'branch-locks/indexing/main/start', { indexing_id: 'idx-p' });
    expect(start.status).toBe(403);
    expect(start.body['message']).toBe('funnel-service (indexer) lacks index:start');
    expect((await api(TOKENS.indexer, 'GET', 'branch-locks/status/main')).body).toMatchObject({ state: 'ACTIVE' });
    expect((await api(TOKENS.viewer, 'GET', 'branch-locks/status/main')).status).toBe(403);
    const denied = await h.bot.bot.freeze.queryAudit({ repo: REPO.fullName, action: 'api.denied' });
    expect(denied.records.map((r) => `${r.actor} ${r.resourceId}`)).toEqual(
      expect.arrayContaining(['funnel-service index:start', 'grafana branch:read']),
    );
  });

  it('a role only the policy knows works, and a role it lacks falls back to the built-in one', async () => {
    expect((await api(TOKENS.auditor, 'GET', 'audit?action=api.denied')).status).toBe(200);
    expect((await api(TOKENS.auditor, 'GET', 'branch-locks/status/main')).status).toBe(403);
    expect((await api(TOKENS.developer, 'GET', 'branch-locks/status/main')).status).toBe(200);
    expect((await api(TOKENS.developer, 'GET', 'whoami')).body).toMatchObject({ roles: ['developer'], read: true });
  });

  it('a token scoped to other repositories gets 403 here, even as admin; one scoped here works', async () => {
    const h = harness();
    const elsewhere = await api(TOKENS.elsewhere, 'POST', 'branch-locks/force-unlock/main', { reason: 'x' });
    expect(elsewhere.status).toBe(403);
    expect((await api(TOKENS.elsewhere, 'GET', `branch-locks/status/main?repo=${REPO.fullName}`)).status).toBe(403);
    expect((await api(TOKENS.here, 'GET', `branch-locks/status/main?repo=${REPO.fullName}`)).status).toBe(200);
    const denied = await h.bot.bot.freeze.queryAudit({ repo: REPO.fullName, action: 'api.denied' });
    expect(denied.records.some((r) => r.actor === 'other-indexer' && r.resourceId === 'branch:force-unlock')).toBe(
      true,
    );
  });
});
