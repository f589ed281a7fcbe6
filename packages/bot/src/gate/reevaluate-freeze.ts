import { lockChangeCovers } from '@aegis/freeze';
import type { PullInfo } from '../github.js';
import type { Gate, GateTarget } from './gate-ports.js';
import { pullChange, syncMirror } from './read-pull.js';
import type { PullChange } from './read-pull.js';
import { runGate } from './run-gate.js';

/** An open PR with its change, or without one when the mirror could not read it. */
export interface ReadPull {
  pull: PullInfo;
  change: PullChange | undefined;
}

/**
 * Which open PRs a lock change concerns: those whose change touches a resource the lock covered. A PR the
 * mirror could not read is left alone (its own events will say why).
 */
export function affectedPulls(affected: readonly string[], pulls: readonly ReadPull[]): ReadPull[] {
  return pulls.filter((p) => p.change !== undefined && lockChangeCovers(affected, p.change.resources));
}

/**
 * After a lock is taken or released: re-runs `aegis/freeze` through the gate on every open PR into `branch`
 * whose change the lock covers — one list call and one mirror sync for all of them, then the gate's own
 * publishing step per PR (audit, check run, metrics, audit comment, auto-merge). One PR failing never stops
 * the others. Returns the PRs re-evaluated.
 */
export async function reevaluateFreeze(
  gate: Gate,
  scope: Omit<GateTarget, 'pull'>,
  branch: string,
  affected: readonly string[],
): Promise<number[]> {
  if (affected.length === 0) return [];
  const { gh, repo, log } = scope;
  const open = await gh.listOpenPulls(branch);
  if (open.length === 0) return [];
  const gitDir = await syncMirror(
    gate,
    gh,
    repo,
    open.map((p) => p.headSha),
    [branch],
  );
  const read: ReadPull[] = [];
  for (const pull of open) read.push({ pull, change: await pullChange(gate, gitDir, pull).catch(() => undefined) });
  const done: number[] = [];
  for (const { pull, change } of affectedPulls(affected, read)) {
    try {
      await runGate(gate, { ...scope, pull }, ['aegis/freeze'], { gitDir, ...(change ? { change } : {}) });
      done.push(pull.number);
    } catch (error) {
      log.error({ err: error, pr: pull.number }, 'aegis/freeze could not be re-evaluated');
    }
  }
  return done;
}
