import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { getInput, setSecret } from '@actions/core';
import { DEFAULT_SCHEMA_DIR } from '@aegis/git';

const exec = promisify(execFile);

/** When the action fails the job. */
export const FAIL_ON = ['error', 'breaking', 'warning', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** The pull request the workflow runs for, from the event payload. */
export interface PullRequestInfo {
  number: number;
  title: string;
  url: string;
}

/** What one run of the action checks, from its inputs and the environment GitHub Actions gives it. */
export interface ActionSettings {
  /** The working tree to check (GITHUB_WORKSPACE). */
  workspace: string;
  /** A commit-ish the head is compared with (at their merge base). */
  base: string;
  /** How to name the base to people: the input, else the base branch. */
  baseLabel: string;
  schemaDir: string;
  failOn: FailOn;
  verifyDatabaseUrl?: string;
  pull?: PullRequestInfo;
}

interface PullRequestEvent {
  pull_request?: { number?: number; title?: string; html_url?: string; base?: { sha?: string; ref?: string } };
}

async function readEvent(path: string | undefined): Promise<PullRequestEvent> {
  if (!path) return {};
  return JSON.parse(await readFile(path, 'utf8')) as PullRequestEvent;
}

async function isCommit(cwd: string, ref: string): Promise<boolean> {
  try {
    await exec('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd });
    return true;
  } catch {
    return false;
  }
}

/**
 * The base to compare with: the `base` input, else the pull request's base commit, else the base branch
 * (`origin/<GITHUB_BASE_REF>`, then `<GITHUB_BASE_REF>`): the first that exists in the clone.
 */
async function pickBase(cwd: string, env: NodeJS.ProcessEnv, event: PullRequestEvent): Promise<string> {
  const input = getInput('base');
  if (input) return input;
  const branch = env['GITHUB_BASE_REF'] || event.pull_request?.base?.ref;
  const candidates = [event.pull_request?.base?.sha, branch && `origin/${branch}`, branch].filter((c): c is string =>
    Boolean(c),
  );
  for (const candidate of candidates) if (await isCommit(cwd, candidate)) return candidate;
  if (candidates.length === 0)
    throw new Error('no pull request in GITHUB_EVENT_PATH and no base input: set `base` (e.g. origin/main)');
  throw new Error(
    `the base (${candidates.join(', ')}) is not in this clone: check out with actions/checkout fetch-depth: 0`,
  );
}

/** Reads the action's inputs (INPUT_*), the event payload and the workspace. */
export async function readActionSettings(env: NodeJS.ProcessEnv = process.env): Promise<ActionSettings> {
  const workspace = env['GITHUB_WORKSPACE'] || process.cwd();
  const event = await readEvent(env['GITHUB_EVENT_PATH']);
  const failOn = (getInput('fail-on') || 'error') as FailOn;
  if (!FAIL_ON.includes(failOn)) throw new Error(`fail-on must be one of ${FAIL_ON.join(', ')}, got "${failOn}"`);
  const pr = event.pull_request;
  const verifyDatabaseUrl = getInput('verify-database-url');
  // It may hold a password: masked in every log line the job prints from here on.
  if (verifyDatabaseUrl) setSecret(verifyDatabaseUrl);
  const base = await pickBase(workspace, env, event);
  return {
    workspace,
    base,
    baseLabel: getInput('base') || env['GITHUB_BASE_REF'] || pr?.base?.ref || base,
    schemaDir: getInput('registry') || DEFAULT_SCHEMA_DIR,
    failOn,
    ...(verifyDatabaseUrl ? { verifyDatabaseUrl } : {}),
    ...(pr?.number ? { pull: { number: pr.number, title: pr.title ?? '', url: pr.html_url ?? '' } } : {}),
  };
}
