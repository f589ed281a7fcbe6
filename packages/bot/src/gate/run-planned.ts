import type { CheckName, CheckResult } from '../checks/check-result.js';
import { recordPush } from '../rbac/pull-pushes.js';
import type { Gate, GateTarget } from './gate-ports.js';
import { runGate } from './run-gate.js';

/** The two deliveries GitHub sends for one push: the `pull_request` event and its own `check_suite.requested`. */
export type PushSide = 'pull_request' | 'check_suite';

/**
 * The keys of a PR's head (the base branch is part of them): `side` marks that a delivery of that side came,
 * `push` is the one claim both sides race for.
 */
export function headKey(target: Pick<GateTarget, 'repo' | 'pull'>, side: PushSide | 'push'): string {
  return `checks:${side}:${target.repo.fullName}#${target.pull.number}:${target.pull.baseRef}`;
}

/**
 * Whether this delivery decides the head: it is the first of its side and wins the head's claim, or an earlier
 * delivery of its own side came (a second `pull_request` for the same head still runs). Both are set-if-absent,
 * so two replicas taking the two deliveries of one push at once cannot both win. A store that cannot be asked
 * lets the delivery run (checks are idempotent; a doubled run beats a lost one).
 */
async function claimHead(gate: Gate, target: GateTarget, side: PushSide): Promise<boolean> {
  const { pull } = target;
  const ttl = gate.config.dedupeTtlMs;
  const firstOfSide = await gate.freeze.firstDelivery(headKey(target, side), pull.headSha, ttl).catch(() => true);
  if (!firstOfSide) return true;
  return gate.freeze.firstDelivery(headKey(target, 'push'), pull.headSha, ttl).catch(() => true);
}

/** Forgets a claim whose run failed, so the other side's redelivery or this side's decides the head. */
async function forgetClaim(gate: Gate, target: GateTarget, side: PushSide): Promise<void> {
  for (const key of [headKey(target, side), headKey(target, 'push')])
    await gate.freeze.forgetDelivery(key, target.pull.headSha).catch(() => undefined);
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
 * The head a newer push replaced this one with: one this replica's deliveries named since, and GitHub's pull
 * request confirms (deliveries may arrive out of order; a head GitHub still names is never skipped).
 */
async function supersededBy(gate: Gate, target: GateTarget): Promise<string | undefined> {
  const { repo, pull, gh } = target;
  const newer = gate.heads?.newer(repo.fullName, pull.number, pull.headSha);
  if (!newer) return undefined;
  const current = await gh.getPull(pull.number).catch(() => undefined);
  return current?.headSha === newer ? newer : undefined;
}

/**
 * Runs the named checks of one PR through the gate. With `once`, the two deliveries of one push decide its head
 * once: whichever side claims the head first runs (a second `pull_request` event for the same head still
 * runs), and a head a newer push replaced while the event waited for the mirror is published `cancelled` without
 * being judged (`supersededChecks`). A run that fails is forgotten, so a redelivery decides it.
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
  gate.heads?.note(target.repo.fullName, pull.number, pull.headSha);
  const fresh = pushed && (await newPusher(gate, target, sender));
  if (!(await claimHead(gate, target, side))) {
    if (fresh) return runGate(gate, target, ['aegis/rbac']);
    log.info({ pr: pull.number, headSha: pull.headSha }, 'checks already decided for this head');
    return undefined;
  }
  try {
    return await runGate(gate, target, names, { supersededBy: () => supersededBy(gate, target) });
  } catch (error) {
    await forgetClaim(gate, target, side);
    throw error;
  }
}
