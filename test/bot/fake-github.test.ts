import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitRepo, git } from '../helpers/git-repo.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { FakeGitHub, testAppCredentials } from '../helpers/fake-github/fake-github.js';

// The fake itself must be trustworthy: it serves real git, checks credentials and flags unknown calls.
describe('fake GitHub', () => {
  let fake: FakeGitHub;
  let repo: GitRepo;
  let scratch: string;
  beforeAll(async () => {
    fake = await FakeGitHub.start(testAppCredentials());
    repo = await createGitRepo({ files: { 'README.md': 'hello\n' } });
    fake.addRepo('acme/reg', repo.dir);
    scratch = await mkdtemp(path.join(tmpdir(), 'aegis-fake-'));
  });
  afterAll(async () => {
    await fake.close();
    await repo.cleanup();
    await rm(scratch, { recursive: true, force: true });
  });

  it('serves git over smart HTTP only with an issued token', async () => {
    const url = fake.gitUrlTemplate.replace('{owner}', 'acme').replace('{repo}', 'reg');
    await expect(git(scratch, '-c', 'credential.helper=', 'ls-remote', url)).rejects.toThrow();
    expect(fake.unexpected().at(-1)?.problem).toBe('git without an installation token');
    fake.state.tokens.add('ghs_test');
    const header = `Authorization: Basic ${Buffer.from('x-access-token:ghs_test').toString('base64')}`;
    await git(scratch, '-c', `http.extraHeader=${header}`, 'clone', '-q', '--bare', url, 'mirror.git');
    const head = await git(path.join(scratch, 'mirror.git'), 'rev-parse', 'main');
    expect(head).toBe(await repo.sha());
  });

  it('records an unknown endpoint as unexpected and answers 404', async () => {
    const res = await fetch(`${fake.url}/repos/acme/reg/hooks`, { headers: { authorization: 'token ghs_test' } });
    expect(res.status).toBe(404);
    expect(fake.unexpected().at(-1)).toMatchObject({ path: '/repos/acme/reg/hooks', expected: false });
  });

  it('rejects a forged app JWT when minting installation tokens', async () => {
    const res = await fetch(`${fake.url}/app/installations/1/access_tokens`, {
      method: 'POST',
      headers: { authorization: 'Bearer a.b.c' },
    });
    expect(res.status).toBe(401);
  });
});
