import { changedResources, checkChange, isRegistryFile, RBAC_POLICY_PATH } from '@aegis/core';
import type { ChangeCheck, RbacPolicy, Registry } from '@aegis/core';
import { changedSchemaFiles, gitRefFileSource } from '@aegis/git';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { MAX_CHANGED_FILES, PullTooLargeError } from '../checks/pull-too-large.js';
import type { ChangedSchema } from '../checks/validate-check.js';
import type { GitHubPort, PullInfo } from '../github.js';
import { loadPolicy } from '../rbac/load-policy.js';
import type { RepoInfo } from '../repo-info.js';
import type { FactSources } from './gate-ports.js';

const run = promisify(execFile);

/** What a PR changes in the registry, read from the mirror. */
export interface PullChange {
  baseRev: string;
  head: Registry;
  base: Registry;
  changed: ChangedSchema[];
  /** What the PR writes, from its diff (core's `changedResources`): `schema:users`, `column:users.email`, `rbac:policy`, … */
  resources: string[];
}

/** What `aegis/validate` and `aegis/rbac` judge beyond the change: diagnostics and the policy. */
export interface PolicyFacts {
  /** Core's `checkChange` of the PR (what `aegis check` reports for it). */
  checked: ChangeCheck;
  policy: RbacPolicy;
  /** How many problems the default branch's policy has (its invalid entries grant nothing). */
  policyProblems: number;
  policyEdited: boolean;
}

/** Brings the mirror up to date with the given heads and branches; returns its git directory. */
export async function syncMirror(
  sources: Pick<FactSources, 'mirror'>,
  gh: GitHubPort,
  repo: RepoInfo,
  heads: readonly string[],
  branches: readonly string[],
): Promise<string> {
  return sources.mirror.sync(repo.fullName, () => gh.installationToken(), {
    cloneUrl: repo.cloneUrl,
    want: [...heads],
    branches: [...new Set([...branches, repo.defaultBranch])],
  });
}

async function registryAt(sources: Pick<FactSources, 'cache'>, gitDir: string, rev: string): Promise<Registry> {
  const source = await gitRefFileSource(gitDir, rev);
  try {
    return await sources.cache.registryOf(source);
  } finally {
    source.close();
  }
}

function nameOf(registry: Registry, path: string): { name?: string; owner?: string } {
  const schema = registry.files.get(path)?.schema;
  return { name: schema?.name.value, owner: schema?.owner?.value };
}

/** The registry change of a PR against the merge base with its base branch (what the PR page shows). */
export async function pullChange(
  sources: Pick<FactSources, 'cache'>,
  gitDir: string,
  pull: Pick<PullInfo, 'baseRef' | 'headSha'>,
): Promise<PullChange> {
  const baseRev = (
    await run('git', ['merge-base', `refs/heads/${pull.baseRef}`, pull.headSha], { cwd: gitDir })
  ).stdout.trim();
  const files = (await changedSchemaFiles(gitDir, baseRev, pull.headSha)).filter((f) => isRegistryFile(f.path));
  // Counted before anything is parsed: a giant pull request costs one diff, not the app's CPU.
  if (files.length > MAX_CHANGED_FILES) throw new PullTooLargeError(files.length);
  // Base first, then head: the head shares most blobs with the base and finds them parsed.
  const base = await registryAt(sources, gitDir, baseRev);
  const head = await registryAt(sources, gitDir, pull.headSha);
  const changed: ChangedSchema[] = files.map((f) => {
    const before = f.status === 'added' ? {} : nameOf(base, f.oldPath ?? f.path);
    const after = f.status === 'removed' ? before : nameOf(head, f.path);
    return { status: f.status, path: f.path, name: after.name, owner: after.owner, baseOwner: before.owner };
  });
  const policy = await run('git', ['diff', '--name-only', baseRev, pull.headSha, '--', RBAC_POLICY_PATH], {
    cwd: gitDir,
  });
  const paths = [...files.flatMap((f) => [f.path, f.oldPath ?? f.path]), ...policy.stdout.split('\n').filter(Boolean)];
  return { baseRev, head, base, changed, resources: changedResources(base, head, paths) };
}

/** `.kiro/rbac.yaml` at `rev` in the mirror, or undefined when the commit has none. */
async function policyTextAt(gitDir: string, rev: string): Promise<string | undefined> {
  const spec = `${rev}:${RBAC_POLICY_PATH}`;
  const found = await run('git', ['rev-parse', '--verify', '-q', spec], { cwd: gitDir }).then(
    () => true,
    () => false,
  );
  if (!found) return undefined;
  return (await run('git', ['cat-file', 'blob', spec], { cwd: gitDir, maxBuffer: 16 * 1024 * 1024 })).stdout;
}

/**
 * Core's `checkChange` of a PR from the mirror: both registries and, when the PR edits it, its rbac.yaml —
 * the same function `aegis check` calls on a clone, so the check and the CLI report the same.
 */
export async function checkPull(
  gitDir: string,
  change: PullChange,
  headSha: string,
): Promise<{ checked: ChangeCheck; policyEdited: boolean }> {
  const diff = await run('git', ['diff', '--name-only', change.baseRev, headSha, '--', RBAC_POLICY_PATH], {
    cwd: gitDir,
  });
  const policyEdited = diff.stdout.trim() !== '';
  const checked = checkChange({
    base: change.base,
    head: change.head,
    ...(policyEdited ? { editedPolicy: { text: await policyTextAt(gitDir, headSha) } } : {}),
  });
  return { checked, policyEdited };
}

/** The owner services a change touches, on either side (whose writers RBAC looks up). */
export function changedOwners(change: Pick<PullChange, 'changed'>): Set<string> {
  return new Set(change.changed.flatMap((c) => [c.owner, c.baseOwner]).filter((o): o is string => o !== undefined));
}

/** The policy of the default branch (never the PR head's) and the head's diagnostics, from the mirror. */
export async function policyFacts(
  repo: RepoInfo,
  pull: PullInfo,
  read: { gitDir: string; change: PullChange },
): Promise<PolicyFacts> {
  const { gitDir, change } = read;
  const [loaded, { checked, policyEdited }] = await Promise.all([
    loadPolicy(gitDir, `refs/heads/${repo.defaultBranch}`),
    checkPull(gitDir, change, pull.headSha),
  ]);
  return { checked, policy: loaded.policy, policyProblems: loaded.diagnostics.length, policyEdited };
}
