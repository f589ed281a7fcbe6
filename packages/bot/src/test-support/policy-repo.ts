import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A real git repository whose `main` holds `.kiro/rbac.yaml`, served as the bot's mirror of any repository. */
export interface PolicyRepo {
  dir: string;
  /** The mirror port `resolvePrincipal` uses: every sync answers this repository. */
  mirror: { sync: () => Promise<string> };
  cleanup: () => Promise<void>;
}

/** Commits `rbacYaml` as `.kiro/rbac.yaml` on `main` of a fresh temporary repository (no user git config). */
export async function policyRepo(rbacYaml: string): Promise<PolicyRepo> {
  const dir = await mkdtemp(path.join(tmpdir(), 'aegis-policy-'));
  const git = (...args: string[]) =>
    run('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', ...args], {
      cwd: dir,
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
    });
  await git('init', '-q', '-b', 'main');
  await mkdir(path.join(dir, '.kiro'));
  await writeFile(path.join(dir, '.kiro/rbac.yaml'), rbacYaml);
  await git('add', '-A');
  await git('commit', '-q', '-m', 'policy');
  return { dir, mirror: { sync: async () => dir }, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
