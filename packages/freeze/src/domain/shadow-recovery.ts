import type { IndexPointer, Lock, ShadowBuild } from '../types.js';

/** What recovery does with a build left in SWITCHING by a process that died mid-switch. */
export interface SwitchRecovery {
  id: string;
  /** ACTIVE: the pointer already names it (finish); BUILT: it does not (roll back, the build can switch again). */
  to: 'ACTIVE' | 'BUILT';
  reason: string;
}

/**
 * Issue 14 item 7: a build in SWITCHING whose switch is over — no live SWITCH lock for it and untouched for
 * longer than the switch lock's TTL (so a switch between its claim and its lock is not mistaken for one) —
 * was interrupted. It finishes if the pointer names it, otherwise it goes back to BUILT. Pure.
 */
export function interruptedSwitch(
  shadow: ShadowBuild,
  pointer: IndexPointer,
  locks: readonly Lock[],
  now: number,
  switchLockTtlMs: number,
): SwitchRecovery | null {
  if (shadow.state !== 'SWITCHING') return null;
  if (locks.some((l) => l.kind === 'SWITCH' && l.meta['shadowId'] === shadow.id)) return null;
  if (now - shadow.updatedAt < switchLockTtlMs) return null;
  if (pointer.active === shadow.id)
    return { id: shadow.id, to: 'ACTIVE', reason: 'interrupted switch finished: the pointer already names it' };
  return {
    id: shadow.id,
    to: 'BUILT',
    reason: `interrupted switch rolled back: the pointer still names ${pointer.active ?? 'no index'}`,
  };
}
