import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { defaultRbacPolicy, parseRbacPolicy, RBAC_POLICY_PATH } from '@aegis/core';
import type { Diagnostic, RbacPolicy } from '@aegis/core';

const run = promisify(execFile);

/** A policy as read from one commit: what it grants and what is wrong with it. */
export interface LoadedPolicy {
  policy: RbacPolicy;
  diagnostics: Diagnostic[];
  /** The blob id of rbac.yaml, or undefined when the commit has none (the default policy applies). */
  blobId: string | undefined;
}

const cache = new Map<string, LoadedPolicy>();

/**
 * Reads `.kiro/rbac.yaml` at `rev` in a mirror. The bot calls it with the DEFAULT branch for decisions and
 * with the PR head only to validate an edited policy. Parsed policies are cached by blob id.
 */
export async function loadPolicy(gitDir: string, rev: string): Promise<LoadedPolicy> {
  const blobId = await run('git', ['rev-parse', '--verify', '-q', `${rev}:${RBAC_POLICY_PATH}`], { cwd: gitDir }).then(
    (r) => r.stdout.trim(),
    () => undefined,
  );
  if (!blobId) return { policy: defaultRbacPolicy(), diagnostics: [], blobId: undefined };
  const hit = cache.get(blobId);
  if (hit) return hit;
  const { stdout } = await run('git', ['cat-file', 'blob', blobId], { cwd: gitDir, maxBuffer: 16 * 1024 * 1024 });
  const parsed = parseRbacPolicy(RBAC_POLICY_PATH, stdout);
  const loaded = { ...parsed, blobId };
  if (cache.size > 1000) cache.clear();
  cache.set(blobId, loaded);
  return loaded;
}
