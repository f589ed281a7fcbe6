import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { checkChange, RBAC_POLICY_PATH, type Diagnostic, type RegistryDiff } from '@aegis/core';
import { DEFAULT_SCHEMA_DIR, mergeBase, repositoryRoot } from '@aegis/git';
import { baseSide, refSide, workingTreeSide, type Side } from './commands/git-sides.js';
import { summarize, type DiagnosticSummary } from './format-diagnostics.js';

const run = promisify(execFile);

/** A change checked as the pull-request check sees it: core's `checkChange` over what git holds. */
export interface CheckedChange {
  root: string;
  /** The merge base of BASE and the head: what the head is compared with. */
  fork: string;
  base: Side;
  head: Side;
  diff: RegistryDiff;
  /** Every file's diagnostics (empty lists included): validation, the diff's and an edited policy's. */
  results: Map<string, Diagnostic[]>;
  summary: DiagnosticSummary;
}

/** `.kiro/rbac.yaml` at a commit, or undefined when the commit has none. */
function policyAt(root: string, rev: string): Promise<string | undefined> {
  return run('git', ['show', `${rev}:${RBAC_POLICY_PATH}`], { cwd: root, maxBuffer: 16 * 1024 * 1024 }).then(
    (r) => r.stdout,
    () => undefined,
  );
}

/** `.kiro/rbac.yaml` in the working tree, or undefined when there is none. */
function policyOnDisk(root: string): Promise<string | undefined> {
  return readFile(path.join(root, RBAC_POLICY_PATH), 'utf8').catch(() => undefined);
}

/**
 * Checks the registry of the working tree (or of `headRef`) in the repository around `cwd` against `baseRef`,
 * compared at their merge base as a pull request is: the reading for core's `checkChange`, which `aegis/validate`
 * also calls. Shared by `aegis check` and the GitHub Action.
 */
export async function checkGitChange(
  cwd: string,
  baseRef: string,
  options: { headRef?: string; schemaDir?: string } = {},
): Promise<CheckedChange> {
  const schemaDir = options.schemaDir ?? DEFAULT_SCHEMA_DIR;
  const root = await repositoryRoot(cwd);
  const head = options.headRef
    ? await refSide(root, options.headRef, schemaDir)
    : await workingTreeSide(root, schemaDir);
  const fork = (await mergeBase(root, baseRef, options.headRef ?? 'HEAD')) ?? baseRef;
  const base = await baseSide(root, fork, schemaDir);
  const [basePolicy, headPolicy] = await Promise.all([
    policyAt(root, fork),
    options.headRef ? policyAt(root, options.headRef) : policyOnDisk(root),
  ]);
  const checked = checkChange({
    base: base.registry,
    head: head.registry,
    ...(basePolicy !== headPolicy ? { editedPolicy: { text: headPolicy } } : {}),
  });
  const { diff, results } = checked;
  return { root, fork, base, head, diff, results, summary: summarize(results, head.registry.schemas.size) };
}
