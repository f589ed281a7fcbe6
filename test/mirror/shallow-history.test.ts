import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RepoMirror } from '@aegis/bot';
import { createGitRepo, git, GIT_TEST_ENV } from '../helpers/git-repo.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { tempDir } from '../helpers/temp-dir.js';
import { servedLikeGitHub } from './served-like-github.js';

const COMMITS = 600;

/** `COMMITS` commits on main, each changing one file in one of 40 folders (so each brings new trees). */
function longHistory(dir: string): void {
  const lines: string[] = [];
  for (let i = 1; i <= COMMITS; i++) {
    const body = `change ${i}\n`;
    lines.push(
      'commit refs/heads/main',
      `committer Aegis Test <test@aegis.invalid> ${1_700_000_000 + i} +0000`,
      `data ${`c${i}`.length}`,
      `c${i}`,
      `M 100644 inline src/dir${i % 40}/file${i % 7}.txt`,
      `data ${Buffer.byteLength(body)}`,
      body,
      ...(i === 1 ? ['M 100644 inline .kiro/schemas/users.yaml', 'data 5', 'v: 1', ''] : []),
    );
  }
  execFileSync('git', ['fast-import', '--quiet', '--force'], {
    cwd: dir,
    input: lines.join('\n') + '\n',
    env: { ...process.env, ...GIT_TEST_ENV },
  });
}

const count = async (dir: string, ...args: string[]) => Number(await git(dir, ...args));
const packKiB = async (dir: string) => Number(/size-pack: (\d+)/.exec(await git(dir, 'count-objects', '-v'))?.[1]);

describe('a long history is fetched shallow, deepened only as far as a merge base needs', () => {
  let repo: GitRepo;
  let mirrors: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    repo = await createGitRepo();
    longHistory(repo.dir);
    await git(repo.dir, 'reset', '-q', '--hard', 'main');
    await servedLikeGitHub(repo.dir);
    mirrors = await tempDir();
  });
  afterAll(async () => {
    await repo.cleanup();
    await mirrors.cleanup();
  });

  it('a PR forked two commits back: one fetch, a few dozen commits, a fraction of the blob-less whole', async ({
    annotate,
  }) => {
    await repo.branch('recent', 'main~2');
    const head = await repo.commit('recent change', { '.kiro/schemas/users.yaml': 'v: 2\n' });
    const mirror = new RepoMirror({ dir: mirrors.dir, urlTemplate: repo.dir });
    const dir = await mirror.sync('acme/long', 'tok', { want: [head], branches: ['main'] });
    expect(mirror.counters).toMatchObject({ fetches: 1, deepens: 0 });
    expect(await git(dir, 'merge-base', head, 'refs/heads/main')).toBe(await repo.sha('main~2'));
    const commits = await count(dir, 'rev-list', '--count', '--all');
    expect(commits).toBeLessThanOrEqual(60);
    // The same refs fetched blob-less with their whole history, as the mirror did before.
    const whole = `${mirrors.dir}/whole.git`;
    await git(mirrors.dir, 'clone', '-q', '--bare', '--filter=blob:none', `file://${repo.dir}`, whole);
    expect(await count(whole, 'rev-list', '--count', '--all')).toBe(COMMITS + 1);
    const [shallow, full] = [await packKiB(dir), await packKiB(whole)];
    await annotate(`shallow: ${commits} commits, ${shallow} KiB packed; whole history: ${COMMITS + 1}, ${full} KiB`);
    expect(shallow).toBeLessThan(full / 4);
  });

  it('a PR forked 300 commits back: deepened in doubling steps to its merge base, not to the first commit', async () => {
    await repo.branch('old', 'main~300');
    const head = await repo.commit('old change', { '.kiro/schemas/users.yaml': 'v: 3\n' });
    const mirror = new RepoMirror({ dir: mirrors.dir, urlTemplate: repo.dir });
    const dir = await mirror.sync('acme/long', 'tok', { want: [head], branches: ['main'] });
    expect(mirror.counters.deepens).toBeGreaterThan(0);
    expect(await git(dir, 'merge-base', head, 'refs/heads/main')).toBe(await repo.sha('main~300'));
    expect(await git(dir, 'show', `${await repo.sha('main~300')}:.kiro/schemas/users.yaml`)).toBe('v: 1');
    expect(await count(dir, 'rev-list', '--count', 'refs/heads/main')).toBeLessThan(COMMITS);
    expect(await git(dir, 'rev-parse', '--is-shallow-repository')).toBe('true');
  });
});
