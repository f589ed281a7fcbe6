import type { CheckName, CheckResult } from '../checks/check-result.js';
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
 * Runs the named checks of one PR through the gate. With `once`, the two deliveries of one push decide its head
 * once: a side runs unless the other side already decided that head SHA (a second `pull_request` event for
 * the same head still runs). A run that fails is forgotten, so the other side or a redelivery decides it.
 * Returns undefined when the other side had decided.
 */
export async function runPlanned(
  gate: Gate,
  target: GateTarget,
  plan: { names: readonly CheckName[]; once?: PushSide | undefined },
): Promise<CheckResult[] | undefined> {
  const { once: side, names } = plan;
  if (!side) return runGate(gate, target, names);
  const { pull, log } = target;
  const other = headKey(target, side === 'pull_request' ? 'check_suite' : 'pull_request');
  if (await marked(gate, other, pull.headSha).catch(() => false)) {
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
