import { StoreUnavailableError } from '@aegis/freeze';
import type { BranchRef, FreezeService, Lock } from '@aegis/freeze';
import type { CheckResult } from './check-result.js';
import { quietText } from './quiet-text.js';

function scopeText(lock: Lock): string {
  if (lock.scope === 'BRANCH') return 'the whole branch';
  if (lock.scope === 'RESOURCE_TYPE') return `every \`${lock.resourceType}\``;
  return `\`${lock.resourceType}:${lock.resourceId}\``;
}

function holderText(lock: Lock, repo: string, htmlUrl?: string): string {
  const pr = lock.meta['pr'];
  if (pr) return `${lock.holder} (${htmlUrl ?? `https://github.com/${repo}`}/pull/${pr})`;
  if (lock.meta['indexingId']) return `${lock.holder} (indexing job ${lock.meta['indexingId']})`;
  return lock.holder;
}

/** A wait in words: `40 s`, `45 min`, `3 h`. */
export function waitText(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

/**
 * One line per blocking lock: who, what, why, since when, until when. `htmlUrl` is the repository's web page
 * (an Enterprise host differs from github.com).
 */
export function describeLock(lock: Lock, repo: string, now: number, htmlUrl?: string): string {
  const since = new Date(lock.createdAt).toISOString();
  const left = Math.max(0, Math.ceil((lock.expiresAt - now) / 60_000));
  return (
    `- \`${lock.id}\` on ${scopeText(lock)} held by ${holderText(lock, repo, htmlUrl)} since ${since}: ${quietText(lock.reason) || 'no reason given'}` +
    ` (expires in ~${left} min unless renewed)`
  );
}

/**
 * `aegis/freeze`: fails while any resource the PR changes is locked on its base branch (locks the PR itself
 * took with `/lock` excepted), and — fail closed — when the lock store cannot be asked. Never a silent pass.
 */
export async function freezeCheck(
  freeze: FreezeService,
  ref: BranchRef,
  resources: string[],
  pr?: number,
  htmlUrl?: string,
): Promise<CheckResult> {
  const name = 'aegis/freeze';
  let verdict;
  try {
    verdict = await freeze.checkWrite(ref, resources);
  } catch (error) {
    if (!(error instanceof StoreUnavailableError)) throw error;
    return {
      name,
      conclusion: 'failure',
      title: 'Lock store unreachable',
      summary: `The lock store is unreachable (${error.message}), so Aegis cannot tell whether \`${ref.branch}\` is frozen. This check fails closed; re-run it once the store is back.`,
      annotations: [],
    };
  }
  const list = resources.map((r) => `\`${r}\``).join(', ') || 'no schema';
  const blocked = verdict.allowed ? [] : verdict.blocked.filter((l) => pr === undefined || l.meta['pr'] !== String(pr));
  if (verdict.allowed || blocked.length === 0) {
    return {
      name,
      conclusion: 'success',
      title: `${ref.branch} is open for these changes`,
      summary: `Branch \`${ref.branch}\` is ${verdict.state}; nothing this PR changes (${list}) is locked.`,
      annotations: [],
    };
  }
  const status = await freeze.getBranchState(ref).catch(() => undefined);
  const now = status?.now ?? Date.now();
  const locks = blocked.map((l) => describeLock(l, ref.repo, now, htmlUrl)).join('\n');
  return {
    name,
    conclusion: 'failure',
    title: `Frozen: ${blocked.length} lock${blocked.length === 1 ? '' : 's'} on ${ref.branch}`,
    summary:
      `This PR changes ${list}, which ${blocked.length === 1 ? 'a lock holds' : 'locks hold'} on \`${ref.branch}\` (state ${verdict.state}):\n\n${locks}\n\n` +
      `Retry after ~${waitText(verdict.retryAfterSeconds)} (when the last of these expires). This check re-runs by itself when the lock is released; an admin can end an emergency with \`/force-unlock <reason>\`.`,
    annotations: [],
  };
}
