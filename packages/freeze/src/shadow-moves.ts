import { IllegalShadowStateError, ShadowNotFoundError } from './errors.js';
import type { StateStore } from './state-store.js';
import type { AuditRecord, ShadowBuild, ShadowState } from './types.js';

/** A build by its id; `ShadowNotFoundError` when there is none. */
export async function readShadow(store: StateStore, id: string): Promise<ShadowBuild> {
  const shadow = await store.getShadow(id);
  if (!shadow) throw new ShadowNotFoundError(id);
  return shadow;
}

/**
 * Moves a build that is in one of the `expect` states (`audit` written in the same step); a build in any other
 * state refuses the move with `IllegalShadowStateError` (`shadow <id> is <state>; expected <A> or <B>`).
 */
export async function moveShadow(
  store: StateStore,
  id: string,
  expect: readonly ShadowState[],
  patch: Partial<ShadowBuild>,
  audit?: readonly AuditRecord[],
): Promise<ShadowBuild> {
  const updated = await store.updateShadow(id, expect, patch, audit);
  if (updated) return updated;
  const cur = await readShadow(store, id);
  throw new IllegalShadowStateError(id, cur.state, `shadow ${id} is ${cur.state}; expected ${expect.join(' or ')}`);
}
