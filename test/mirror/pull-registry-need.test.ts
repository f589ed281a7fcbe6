import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { octokitGitHub, pullRegistryNeed } from '@aegis/bot';
import { createGitRepo } from '../helpers/git-repo.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { FakeGitHub, testAppCredentials } from '../helpers/fake-github/fake-github.js';
import { fetchOctokitAs } from '../helpers/fake-github/fetch-octokit.js';

const TOKEN = 'ghs_registry_need';
const fetchOctokit = (baseUrl: string) => fetchOctokitAs(baseUrl, TOKEN);

describe('whether a pull request needs the registry, from GitHub’s file list', () => {
  let fake: FakeGitHub;
  const repos: GitRepo[] = [];
  const pr = async (fullName: string, number: number, base: Record<string, string>, change: Record<string, string>) => {
    const repo = await createGitRepo({ files: base });
    repos.push(repo);
    fake.addRepo(fullName, repo.dir);
    await repo.branch(`pr-${number}`);
    const headSha = await repo.commit('change', change);
    fake.state.setPull(fullName, {
      number,
      headSha,
      headRef: `pr-${number}`,
      baseRef: 'main',
      body: null,
      author: 'alice',
    });
    return { number, headSha };
  };
  const calls = (what: RegExp) => fake.apiCalls(what).length;
  const files = (n: number, prefix: string) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}/f${String(i).padStart(4, '0')}.txt`, `${i}\n`]));

  beforeAll(async () => {
    fake = await FakeGitHub.start(testAppCredentials());
    fake.state.tokens.add(TOKEN);
  });
  afterAll(async () => {
    expect(fake.unexpected()).toEqual([]);
    await fake.close();
    for (const repo of repos) await repo.cleanup();
  });

  it('a registry path on the first page settles it: one request, no contents look-up', async () => {
    const pull = await pr(
      'acme/reg',
      1,
      { '.kiro/schemas/a.yaml': 'a\n' },
      {
        ...files(250, 'src'),
        '.kiro/schemas/a.yaml': 'b\n',
      },
    );
    expect(await pullRegistryNeed(octokitGitHub(fetchOctokit(fake.url), 'acme/reg'), pull)).toBe('read');
    expect(calls(/pulls\/1\/files/)).toBe(1);
    expect(calls(/contents/)).toBe(0);
  });

  it('a change beside a registry: every page, then one contents look-up; a repository without one: absent', async () => {
    const beside = await pr('acme/mono', 2, { '.kiro/schemas/a.yaml': 'a\n', 'README.md': 'r\n' }, files(150, 'src'));
    expect(await pullRegistryNeed(octokitGitHub(fetchOctokit(fake.url), 'acme/mono'), beside)).toBe('unchanged');
    expect([calls(/pulls\/2\/files/), calls(/acme\/mono\/contents/)]).toEqual([2, 1]);
    const none = await pr('acme/app', 3, { 'README.md': 'r\n' }, { 'src/x.ts': 'x\n' });
    expect(await pullRegistryNeed(octokitGitHub(fetchOctokit(fake.url), 'acme/app'), none)).toBe('absent');
  });

  it('a registry file moved out of .kiro counts as touching the registry (GitHub names the old path)', async () => {
    const moved = await pr('acme/moved', 4, { '.kiro/schemas/a.yaml': 'kind: a\nlong: enough to be a rename\n' }, {});
    const repo = repos.at(-1)!;
    await repo.rename('.kiro/schemas/a.yaml', 'archive/a.yaml');
    const headSha = await repo.commit('move it out');
    fake.state.setPull('acme/moved', { ...fake.state.pull('acme/moved', 4)!, headSha });
    const gh = octokitGitHub(fetchOctokit(fake.url), 'acme/moved');
    const listed = [];
    for await (const page of gh.pullFilePages(4)) listed.push(...page);
    expect(listed).toEqual([{ path: 'archive/a.yaml', previousPath: '.kiro/schemas/a.yaml' }]);
    expect(await pullRegistryNeed(gh, { ...moved, headSha })).toBe('read');
  });

  it('GitHub lists at most 3,000 files: a registry change past the cap is not seen, so the listing counts as touching it', async () => {
    // Paths starting with `-` sort before `.kiro/`, pushing the registry change past the 3,000th entry.
    const pull = await pr(
      'acme/huge',
      5,
      { '.kiro/schemas/a.yaml': 'a\n' },
      {
        ...files(3050, '-gen'),
        '.kiro/schemas/a.yaml': 'b\n',
      },
    );
    const gh = octokitGitHub(fetchOctokit(fake.url), 'acme/huge');
    const seen: string[] = [];
    for await (const page of gh.pullFilePages(5)) seen.push(...page.map((f) => f.path));
    expect(seen).toHaveLength(3000);
    expect(seen.some((p) => p.startsWith('.kiro/'))).toBe(false);
    expect(await pullRegistryNeed(gh, pull)).toBe('read');
  });
});
