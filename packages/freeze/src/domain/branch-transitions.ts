import type { BranchState } from '../types.js';

/** Why a state changes; each allowed edge of the state machine names the triggers that may take it. */
export type TransitionTrigger =
  | 'indexing.started'
  | 'indexing.completed'
  | 'indexing.failed'
  | 'merged'
  | 'timeout'
  | 'force-unlock'
  | 'recovered'
  | 'deleted'
  | 'restored';

/** The allowed edges (seeds 000–001): from → to → triggers. Everything else is refused with a reason. */
const EDGES: Record<BranchState, Partial<Record<BranchState, TransitionTrigger[]>>> = {
  ACTIVE: { LOCKED_FOR_WRITE: ['indexing.started'], ARCHIVED: ['deleted'] },
  LOCKED_FOR_WRITE: {
    READY: ['indexing.completed'],
    ERROR: ['indexing.failed'],
    ACTIVE: ['force-unlock', 'timeout'],
    ARCHIVED: ['deleted'],
  },
  READY: {
    ACTIVE: ['merged', 'timeout', 'force-unlock'],
    LOCKED_FOR_WRITE: ['indexing.started'],
    ARCHIVED: ['deleted'],
  },
  ERROR: { ACTIVE: ['recovered', 'force-unlock'], ARCHIVED: ['deleted'] },
  ARCHIVED: { ACTIVE: ['restored'] },
};

/** The result of asking the state machine. */
export type TransitionVerdict = { allowed: true } | { allowed: false; reason: string };

/** Decides whether `from → to` by `trigger` is allowed; a refusal says why. */
export function checkTransition(from: BranchState, to: BranchState, trigger: TransitionTrigger): TransitionVerdict {
  if (from === to) return { allowed: false, reason: `branch is already ${to}` };
  const triggers = EDGES[from][to];
  if (!triggers) {
    const next = Object.keys(EDGES[from]).join(', ');
    return { allowed: false, reason: `${from} can only go to ${next}` };
  }
  if (!triggers.includes(trigger)) {
    return { allowed: false, reason: `${from} → ${to} happens only on ${triggers.join(' or ')}, not ${trigger}` };
  }
  return { allowed: true };
}

/** Every allowed edge, for docs and exhaustive tests. */
export function allowedTransitions(): { from: BranchState; to: BranchState; triggers: TransitionTrigger[] }[] {
  const out: { from: BranchState; to: BranchState; triggers: TransitionTrigger[] }[] = [];
  for (const [from, tos] of Object.entries(EDGES) as [
    BranchState,
    Partial<Record<BranchState, TransitionTrigger[]>>,
  ][]) {
    for (const [to, triggers] of Object.entries(tos) as [BranchState, TransitionTrigger[]][])
      out.push({ from, to, triggers });
  }
  return out;
}

/** All branch states. */
export const BRANCH_STATES: readonly BranchState[] = ['ACTIVE', 'LOCKED_FOR_WRITE', 'READY', 'ARCHIVED', 'ERROR'];
