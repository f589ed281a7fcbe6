import type { ShadowState } from '../types.js';

/**
 * Shadow index lifecycle (seed 002): PREPARING → BUILDING → BUILT → SWITCHING → ACTIVE → CLEANUP,
 * plus FAILED and CANCELLED. SWITCHING → BUILT when a switch is refused mid-way (or was interrupted);
 * CLEANUP → ACTIVE and ACTIVE → CLEANUP on rollback (the previous index is kept until cleaned up);
 * ACTIVE → FAILED when the post-switch verification fails and the pointer goes back.
 */
const NEXT: Record<ShadowState, readonly ShadowState[]> = {
  PREPARING: ['BUILDING', 'BUILT', 'FAILED', 'CANCELLED'],
  BUILDING: ['BUILT', 'FAILED', 'CANCELLED'],
  BUILT: ['SWITCHING', 'CANCELLED', 'FAILED'],
  SWITCHING: ['ACTIVE', 'BUILT', 'FAILED'],
  ACTIVE: ['CLEANUP', 'FAILED'],
  CLEANUP: ['ACTIVE'],
  FAILED: [],
  CANCELLED: [],
};

/** Whether a shadow build may move from `from` to `to`. */
export function canShadowMove(from: ShadowState, to: ShadowState): boolean {
  return NEXT[from].includes(to);
}

/** States in which a build occupies its branch and index type (only one such build at a time). */
export const SHADOW_IN_FLIGHT: readonly ShadowState[] = ['PREPARING', 'BUILDING', 'BUILT', 'SWITCHING'];

/** Whether a build still occupies its branch and index type. */
export function isShadowInFlight(state: ShadowState): boolean {
  return SHADOW_IN_FLIGHT.includes(state);
}

/** States that accept progress reports. */
export function acceptsProgress(state: ShadowState): boolean {
  return state === 'PREPARING' || state === 'BUILDING';
}
