import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGitRepo } from '../helpers/git-repo.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { FakeGitHub, mergeWorld, testAppCredentials } from '../helpers/fake-github/fake-github.js';

// The fake answers as GitHub documents, and refuses what GitHub refuses: each hostile behaviour a test can arm.
describe('fake GitHub held to GitHub’s REST description', () => {
  let fake: FakeGitHub;
  let repo: GitRepo;
  let sha: string;
  const token = 'ghs_contract';
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${fake.url}${path}`, {
      method,
      headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
    };
  };
  const run = (extra: Record<string, unknown> = {}) => ({
    name: 'aegis/validate',
    head_sha: sha,
    status: 'completed',
    conclusion: 'success',
    output: { title: 't', summary: 's' },
    ...extra,
  });

  beforeAll(async () => {
    fake = await FakeGitHub.start(testAppCredentials());
    repo = await createGitRepo({ files: { 'README.md': 'hello\n' } });
    sha = await repo.sha();
    fake.addRepo('acme/reg', repo.dir);
  });
  beforeEach(() => {
    fake.state.tokens.add(token);
    fake.state.tokenExpiry.set(token, Date.now() + 60_000);
    fake.calls.length = 0;
  });
  afterAll(async () => {
    await fake.close();
    await repo.cleanup();
  });

  it('accepts a request GitHub documents and answers with a body that fits the description', async () => {
    const res = await call('POST', '/api/v3/repos/acme/reg/check-runs', run());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ head_sha: sha, app: { id: fake.app.appId }, output: { annotations_count: 0 } });
    expect(fake.unexpected()).toEqual([]);
  });

  it('flags a route GitHub does not have, and a request body off the route’s schema (422)', async () => {
    expect((await call('POST', '/repos/acme/reg/check-runs/approve', {})).status).toBe(404);
    expect(fake.unexpected().at(-1)?.problem).toContain("not in GitHub's REST API description");
    const bad = await call('POST', '/repos/acme/reg/check-runs', run({ conclusion: 'green' }));
    expect(bad.status).toBe(422);
    expect(fake.unexpected().at(-1)?.problem).toMatch(/request body: \/conclusion must be equal to one of/);
    expect((await call('GET', '/repos/acme/reg/pulls?state=opened')).status).toBe(422);
    expect((await call('GET', '/repos/acme/reg/pulls?colour=red')).status).toBe(422);
  });

  it('answers 422 for more than 50 annotations, an unknown SHA, or a completed run without a conclusion', async () => {
    const note = { path: 'a.yaml', start_line: 1, end_line: 1, annotation_level: 'failure', message: 'm' };
    const many = run({ output: { title: 't', summary: 's', annotations: Array.from({ length: 51 }, () => note) } });
    expect((await call('POST', '/repos/acme/reg/check-runs', many)).body['message']).toMatch(
      /more than 50 items|50 annotations/,
    );
    const unknown = await call('POST', '/repos/acme/reg/check-runs', run({ head_sha: 'f'.repeat(40) }));
    expect(unknown).toMatchObject({ status: 422, body: { message: `No commit found for SHA: ${'f'.repeat(40)}` } });
    expect((await call('POST', '/repos/acme/reg/check-runs', run({ conclusion: undefined }))).status).toBe(422);
  });

  it('answers 404, 410 and 403 for a missing issue, disabled issues and a locked issue', async () => {
    fake.state.removeIssue('acme/reg', 7);
    fake.state.lockIssue('acme/reg', 8);
    expect((await call('GET', '/repos/acme/reg/issues/7')).status).toBe(404);
    expect((await call('POST', '/repos/acme/reg/issues/7/comments', { body: 'x' })).status).toBe(404);
    expect((await call('POST', '/repos/acme/reg/issues/8/comments', { body: 'x' })).status).toBe(403);
    expect((await call('GET', '/repos/acme/reg/issues/9')).body).toMatchObject({ number: 9, state: 'open' });
    const tooLong = await call('POST', '/repos/acme/reg/issues/9/comments', { body: 'x'.repeat(65_537) });
    expect(tooLong.status).toBe(422);
    expect((await call('POST', '/repos/acme/reg/issues/9/comments', { body: 'x'.repeat(65_536) })).status).toBe(201);
    const settings = fake.state.repos.get('acme/reg');
    if (settings) settings.issuesDisabled = true;
    expect((await call('GET', '/repos/acme/reg/issues/9/comments')).status).toBe(410);
    if (settings) settings.issuesDisabled = false;
    expect(fake.unexpected()).toEqual([]);
  });

  it('reports the base permission and the custom role name; 404 for an account it does not know', async () => {
    fake.state.customRoles.set('schema-editor', 'write');
    fake.state.permissions.set('erin', 'schema-editor');
    fake.state.permissions.set('mona', 'maintain');
    fake.state.permissionNotFound.add('ghost-user');
    const perm = (login: string) => call('GET', `/repos/acme/reg/collaborators/${login}/permission`);
    expect((await perm('erin')).body).toMatchObject({ permission: 'write', role_name: 'schema-editor' });
    expect((await perm('mona')).body).toMatchObject({ permission: 'write', role_name: 'maintain' });
    expect((await perm('ghost-user')).status).toBe(404);
    expect(fake.unexpected()).toEqual([]);
  });

  it('answers mergeable null while computing, then the value; drafts and blocked PRs are refused', async () => {
    const pull = { number: 4, headSha: sha, headRef: 'f', baseRef: 'main', body: null, author: 'alice' };
    fake.state.setPull('acme/reg', { ...pull, draft: true });
    mergeWorld(fake.state).computing.set(4, 1);
    expect((await call('GET', '/repos/acme/reg/pulls/4')).body).toMatchObject({ mergeable: null });
    expect((await call('GET', '/repos/acme/reg/pulls/4')).body).toMatchObject({
      mergeable_state: 'draft',
      draft: true,
    });
    expect((await call('PUT', '/repos/acme/reg/pulls/4/merge', { sha })).status).toBe(405);
    fake.state.setPull('acme/reg', pull);
    mergeWorld(fake.state).mergeableState.set(4, 'blocked');
    expect((await call('GET', '/repos/acme/reg/pulls/4')).body).toMatchObject({
      mergeable: true,
      mergeable_state: 'blocked',
    });
    expect((await call('PUT', '/repos/acme/reg/pulls/4/merge', { sha })).status).toBe(405);
    mergeWorld(fake.state).mergeableState.delete(4);
    fake.state.repos.get('acme/reg')?.mergeMethods.delete('merge');
    const refused = await call('PUT', '/repos/acme/reg/pulls/4/merge', { sha, merge_method: 'merge' });
    expect(refused).toMatchObject({
      status: 405,
      body: { message: 'Merge commits are not allowed on this repository.' },
    });
    fake.state.repos.get('acme/reg')?.mergeMethods.add('merge');
    expect(fake.unexpected()).toEqual([]);
  });

  it('gives fork PRs their own head repository', async () => {
    fake.state.setPull('acme/reg', {
      number: 5,
      headSha: sha,
      headRef: 'f',
      baseRef: 'main',
      body: null,
      author: 'eve',
      fork: 'eve/reg',
    });
    const body = (await call('GET', '/repos/acme/reg/pulls/5')).body as {
      head: { repo: { full_name: string; fork: boolean } };
    };
    expect(body.head.repo).toMatchObject({ full_name: 'eve/reg', fork: true });
  });

  it('pages lists with a Link header, honouring a small per_page', async () => {
    for (let n = 20; n < 25; n++)
      fake.state.setPull('acme/reg', {
        number: n,
        headSha: sha,
        headRef: `b${n}`,
        baseRef: 'dev',
        body: null,
        author: 'a',
      });
    const first = await call('GET', '/repos/acme/reg/pulls?state=open&base=dev&per_page=2');
    expect((first.body as unknown as unknown[]).length).toBe(2);
    expect(first.headers.get('link')).toMatch(/page=2>; rel="next".*page=3>; rel="last"/);
    const last = await call('GET', '/repos/acme/reg/pulls?state=open&base=dev&per_page=2&page=3');
    expect((last.body as unknown as unknown[]).length).toBe(1);
    expect(last.headers.get('link')).not.toContain('rel="next"');
  });

  it('counts the check runs of every app under one name, the latest per app unless filter=all', async () => {
    await call('POST', '/repos/acme/reg/check-runs', run({ conclusion: 'failure' }));
    fake.state.addForeignCheckRun({
      repo: 'acme/reg',
      name: 'aegis/validate',
      headSha: sha,
      conclusion: 'success',
      appId: 15368,
    });
    const latest = await call('GET', `/repos/acme/reg/commits/${sha}/check-runs?check_name=aegis/validate`);
    const apps = (latest.body['check_runs'] as { app: { id: number } }[]).map((r) => r.app.id);
    expect(apps).toEqual([15368, fake.app.appId]);
    const mine = await call('GET', `/repos/acme/reg/commits/${sha}/check-runs?app_id=${fake.app.appId}&filter=all`);
    expect((mine.body['check_runs'] as unknown[]).length).toBeGreaterThan(1);
    expect(fake.unexpected()).toEqual([]);
  });

  it('answers primary and secondary rate limits as GitHub does, when armed', async () => {
    fake.faults.secondaryRateLimit({ method: 'POST', path: /check-runs$/ }, 2);
    fake.faults.primaryRateLimit({ path: /\/pulls/ }, 30, 429);
    const secondary = await call('POST', '/repos/acme/reg/check-runs', run());
    expect(secondary.status).toBe(403);
    expect(secondary.headers.get('retry-after')).toBe('2');
    expect(secondary.body['message']).toMatch(/secondary rate limit/);
    const primary = await call('GET', '/repos/acme/reg/pulls');
    expect(primary.status).toBe(429);
    expect(primary.headers.get('x-ratelimit-remaining')).toBe('0');
    expect((await call('POST', '/repos/acme/reg/check-runs', run())).status).toBe(201);
    expect(fake.faults.pending()).toBe(0);
  });

  it('refuses an installation token once it has expired', async () => {
    expect((await call('GET', '/repos/acme/reg/issues/1')).status).toBe(200);
    fake.state.expireTokens();
    expect((await call('GET', '/repos/acme/reg/issues/1')).status).toBe(401);
    expect(fake.unexpected().at(-1)?.problem).toBe('expired installation token');
  });
});
