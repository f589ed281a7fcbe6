import { locksBlockingWrite, StoreUnavailableError } from '@aegis/freeze';
import type { BranchRef, BranchState, FreezeService, Lock } from '@aegis/freeze';
import { lockPull, whatBlocks } from '../locks/pull-locks.js';
import { correlationId } from '../delivery-errors.js';
import type { CheckResult } from './check-result.js';
import { quietCode, quietText } from './quiet-text.js';

function scopeText(lock: Lock): string {
  if (lock.scope === 'BRANCH') return 'the whole branch';
  if (lock.scope === 'RESOURCE_TYPE') return `every ${quietCode(lock.resourceType ?? '')}`;
  return quietCode(`${lock.resourceType}:${lock.resourceId}`);
}

function holderText(lock: Lock, repo: string, htmlUrl?: string): string {
  const pr = lockPull(lock);
  const holder = quietText(lock.holder, 100);
  if (pr !== undefined) return `${holder} (${htmlUrl ?? `https://github.com/${repo}`}/pull/${pr})`;
  if (lock.meta['indexingId']) return `${holder} (indexing job ${quietCode(String(lock.meta['indexingId']))})`;
  return holder;
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
    `- ${quietCode(lock.id)} on ${scopeText(lock)} held by ${holderText(lock, repo, htmlUrl)} since ${since}: ${quietText(lock.reason) || 'no reason given'}` +
    ` (expires in ~${left} min unless renewed)`
  );
}

/**
 * The store's answer for a PR's write, with the store's clock — or that the store could not be asked, with the
 * correlation id of the log line that holds the store's error (a check summary is public: no internal text).
 */
export type FreezeVerdict =
  { kind: 'verdict'; state: BranchState; locks: Lock[]; now: number } | { kind: 'unreachable'; correlationId: string };

/** What `aegis/freeze` decides on. */
export interface FreezeFacts {
  ref: BranchRef;
  /** `schema:<name>` for every schema the PR changes. */
  resources: readonly string[];
  pr?: number | undefined;
  htmlUrl?: string | undefined;
  verdict: FreezeVerdict;
}

/**
 * Asks the store once for the base branch's live locks and clock (`getBranchState`); an unreachable store is
 * an answer (the check fails closed; the error is logged under a correlation id), any other error is thrown.
 */
export async function readFreezeVerdict(
  freeze: Pick<FreezeService, 'getBranchState'>,
  ref: BranchRef,
  log?: { warn(obj: unknown, msg?: string): void },
): Promise<FreezeVerdict> {
  try {
    const s = await freeze.getBranchState(ref);
    return { kind: 'verdict', state: s.state, locks: s.locks, now: s.now };
  } catch (error) {
    if (!(error instanceof StoreUnavailableError)) throw error;
    const id = correlationId();
    log?.warn({ err: error, ...ref, correlationId: id }, 'aegis/freeze could not ask the lock store');
    return { kind: 'unreachable', correlationId: id };
  }
}

function unreachable(ref: BranchRef, id: string): CheckResult {
  return {
    name: 'aegis/freeze',
    conclusion: 'failure',
    title: 'Lock store unreachable',
    summary: `The lock store is unreachable (correlation id \`${id}\`), so Aegis cannot tell whether ${quietCode(ref.branch)} is frozen. This check fails closed; re-run it once the store is back.`,
    annotations: [],
  };
}

/**
 * `aegis/freeze`: fails while any resource the PR changes is locked on its base branch (locks the PR itself
 * took with `/lock` excepted: `whatBlocks`), and — fail closed — when the lock store could not be asked.
 * Never a silent pass. A pure function of the facts.
 */
export function freezeCheck(facts: FreezeFacts): CheckResult {
  const { ref, verdict } = facts;
  if (verdict.kind === 'unreachable') return unreachable(ref, verdict.correlationId);
  const list = facts.resources.map((r) => `\`${r}\``).join(', ') || 'no schema';
  const covering = locksBlockingWrite(facts.resources, verdict.locks, verdict.now);
  const { blocked, retryAfterSeconds } = whatBlocks(covering, facts.pr, verdict.now);
  if (blocked.length === 0) {
    return {
      name: 'aegis/freeze',
      conclusion: 'success',
      title: `${ref.branch} is open for these changes`,
      summary: `Branch \`${ref.branch}\` is ${verdict.state}; nothing this PR changes (${list}) is locked.`,
      annotations: [],
    };
  }
  const locks = blocked.map((l) => describeLock(l, ref.repo, verdict.now, facts.htmlUrl)).join('\n');
  return {
    name: 'aegis/freeze',
    conclusion: 'failure',
    title: `Frozen: ${blocked.length} lock${blocked.length === 1 ? '' : 's'} on ${ref.branch}`,
    summary:
      `This PR changes ${list}, which ${blocked.length === 1 ? 'a lock holds' : 'locks hold'} on \`${ref.branch}\` (state ${verdict.state}):\n\n${locks}\n\n` +
      `Retry after ~${waitText(retryAfterSeconds)} (when the last of these expires). This check re-runs by itself when the lock is released; an admin can end an emergency with \`/force-unlock <reason>\`.`,
    annotations: [],
  };
}
