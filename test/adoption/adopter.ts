import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GIT_TEST_ENV } from '../helpers/git-repo.js';

/** The workspace root: adoption tests run its scripts, then work only outside it. */
export const WORKSPACE = fileURLToPath(new URL('../..', import.meta.url));

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end and collects what it printed; never throws on a non-zero exit. */
export function runProgram(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; timeoutMs?: number },
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: { ...process.env, NO_COLOR: '1', ...GIT_TEST_ENV, ...options.env },
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number')
          reject(new Error(`${command} failed: ${error.message}\n${stderr}`));
        else resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });
}

/** Runs a program that must succeed; returns its stdout. */
export async function mustRun(command: string, args: string[], cwd: string): Promise<string> {
  const ran = await runProgram(command, args, { cwd });
  if (ran.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${ran.code}\n${ran.stdout}\n${ran.stderr}`);
  return ran.stdout;
}

/** A team's machine: a temporary folder outside the workspace, holding whatever the test builds there. */
export class Adopter {
  private constructor(readonly home: string) {}

  static async create(): Promise<Adopter> {
    const home = await mkdtemp(path.join(tmpdir(), 'aegis-adopter-'));
    if (home.startsWith(WORKSPACE)) throw new Error(`${home} is inside the workspace`);
    return new Adopter(home);
  }

  dir(...parts: string[]): string {
    return path.join(this.home, ...parts);
  }

  /** Packs the CLI with the release script and returns the tarball's path (in this folder). */
  async packCli(): Promise<string> {
    const stage = this.dir('stage');
    const out = await mustRun(
      process.execPath,
      [path.join(WORKSPACE, 'scripts/pack-cli.mjs'), '--pack-destination', this.home, '--stage', stage],
      WORKSPACE,
    );
    return out.trim();
  }

  /**
   * What `uses: aegis-schema-registry/aegis@v1` checks out: action.yml and the bundle the release script
   * builds, in a folder of their own (no node_modules anywhere above it).
   */
  async actionCheckout(): Promise<string> {
    const dir = this.dir('aegis-action');
    await mustRun(
      process.execPath,
      [path.join(WORKSPACE, 'scripts/build-action.mjs'), '--out', path.join(dir, 'dist')],
      WORKSPACE,
    );
    await copyFile(path.join(WORKSPACE, 'action.yml'), path.join(dir, 'action.yml'));
    return dir;
  }

  /** The deployable app as the Dockerfile copies it: the bundle folder alone, no node_modules. */
  async appBundle(): Promise<string> {
    const dir = this.dir('app');
    await mustRun(process.execPath, [path.join(WORKSPACE, 'scripts/bundle-app.mjs'), '--out', dir], WORKSPACE);
    return dir;
  }

  /** `npm install <tarball>` into a new, empty project folder; returns the folder. */
  async install(tarball: string): Promise<string> {
    const project = this.dir('tools');
    await mkdir(project, { recursive: true });
    await writeFile(path.join(project, 'package.json'), '{ "name": "adopter-tools", "private": true }\n');
    await mustRun('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball], project);
    return project;
  }

  /** A new git repository in this folder, on branch main, with no commit. */
  async gitRepo(name: string): Promise<string> {
    const repo = this.dir(name);
    await mkdir(repo, { recursive: true });
    await mustRun('git', ['init', '-q', '-b', 'main'], repo);
    return repo;
  }

  cleanup(): Promise<void> {
    return rm(this.home, { recursive: true, force: true });
  }
}
