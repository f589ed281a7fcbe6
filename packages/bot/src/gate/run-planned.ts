import type { CheckName, CheckResult } from '../checks/check-result.js';
import { recordPush } from '../rbac/pull-pushes.js';
import type { Gate, GateTarget } from './gate-ports.js';
import { runGate } from './run-gate.js';

/** The two deliveries GitHub sends for one push: the `pull_request` event and its own `check_suite.requested`. */
export type PushSide = 'pull_request' | 'check_suite';

/** The key under which one side marks that it decided a PR's head (the base branch is part of it). */
export function headKey(target: Pick<GateTarget, 'repo' | 'pull'>, side: PushSide): string {
  return `checks:${side}:${target.repo.fullName}#${target.pull.number}:${target.pull.baseRef}`;
}

/** Whether `key` is marked for `commit`, without leaving a mark (the store only has set-if-absent). */
async function marked(gate: Gate, key: string, commit: string): Promise<boolean> {
  const absent = await gate.freeze.firstDelivery(key, commit, gate.config.dedupeTtlMs);
  if (absent) await gate.freeze.forgetDelivery(key, commit);
  return !absent;
}

/**
 * Records who pushed the head (aegis/rbac judges every pusher of a PR, later runs too). True when a decision
 * made before may not have judged this pusher: a push not recorded yet by someone other than the PR author (who
 * is always judged). A store that does not answer is logged (this run still judges the pusher it was told).
 */
async function newPusher(gate: Gate, target: GateTarget, login: string): Promise<boolean> {
  const { repo, pull, log } = target;
  const fresh = await recordPush(gate.freeze, repo.fullName, pull.number, { login, headSha: pull.headSha }).catch(
    (error: unknown) => {
      log.warn({ err: error, pr: pull.number }, 'could not record who pushed to the pull request');
      return true;
    },
  );
  return fresh && login.toLowerCase() !== pull.author.toLowerCase();
}

/**
 * Runs the named checks of one PR through the gate. With `once`, the two deliveries of one push decide its head
 * once: a side runs unless the other side already decided that head SHA (a second `pull_request` event for
 * the same head still runs). A run that fails is forgotten, so the other side or a redelivery decides it.
 * The `pull_request` side is a push: `sender` pushed the head and is recorded first; when the check suite had
 * decided the head before that pusher was known, aegis/rbac is decided again. Returns undefined when the other
 * side had decided.
 */
export async function runPlanned(
  gate: Gate,
  scope: GateTarget,
  plan: { names: readonly CheckName[]; once?: PushSide | undefined },
  sender?: string,
): Promise<CheckResult[] | undefined> {
  const { once: side, names } = plan;
  const pushed = side === 'pull_request' && sender !== undefined;
  const target = pushed ? { ...scope, pusher: sender } : scope;
  if (!side) return runGate(gate, target, names);
  const { pull, log } = target;
  const fresh = pushed && (await newPusher(gate, target, sender));
  const other = headKey(target, side === 'pull_request' ? 'check_suite' : 'pull_request');
  if (await marked(gate, other, pull.headSha).catch(() => false)) {
    if (fresh) return runGate(gate, target, ['aegis/rbac']);
    log.info({ pr: pull.number, headSha: pull.headSha }, 'checks already decided for this head');
    return undefined;
  }
  const mine = headKey(target, side);
  await gate.freeze.firstDelivery(mine, pull.headSha, gate.config.dedupeTtlMs).catch(() => true);
  try {
    return await runGate(gate, target, names);
  } catch (error) {
    await gate.freeze.forgetDelivery(mine, pull.headSha).catch(() => undefined);
    throw error;
  }
}
