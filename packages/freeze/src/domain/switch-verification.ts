import type { IndexPointer, ShadowBuild } from '../types.js';

/** What the indexing service's probe says about the switched-in index (optional; see `SwitchRequest.probe`). */
export interface IndexProbe {
  accessible: boolean;
  detail?: string;
}

/** Seed 002's post-switch verification, as the switch answer carries it. */
export interface SwitchVerification {
  /** The pointer names the new index, which is ACTIVE (and the probe, if any, reached it). */
  indexAccessible: boolean;
  verificationPassed: boolean;
  sizeBeforeBytes: number | null;
  sizeAfterBytes: number | null;
  /** New size minus the replaced index's size (seed 002 `size_change_bytes`); null without a previous index. */
  sizeChangeBytes: number | null;
  errors: string[];
}

/**
 * Verifies a switch after the pointer swap (seed 002 "Post-Switch 검증"): the pointer reads back the new
 * index, the new index is ACTIVE and has records, and the indexing service's probe (when given) reaches it.
 * Pure: the caller reads the pointer and builds again and runs the probe.
 */
export function verifySwitch(
  expectId: string,
  pointer: IndexPointer | null,
  next: ShadowBuild | null,
  replaced: ShadowBuild | null,
  probe: IndexProbe | null,
): SwitchVerification {
  const errors: string[] = [];
  if (pointer?.active !== expectId)
    errors.push(`index missing: the pointer names ${pointer?.active ?? 'nothing'}, not ${expectId}`);
  if (!next) errors.push(`index missing: no build ${expectId}`);
  else if (next.state !== 'ACTIVE') errors.push(`index ${expectId} is ${next.state}, not ACTIVE`);
  if (probe && !probe.accessible) errors.push(`index not accessible: ${probe.detail ?? 'the probe failed'}`);
  const accessible = errors.length === 0;
  if (accessible && (next?.recordCount ?? 0) <= 0) errors.push(`index ${expectId} answers with no records`);
  const after = next?.sizeBytes ?? null;
  const before = replaced?.sizeBytes ?? null;
  return {
    indexAccessible: accessible,
    verificationPassed: errors.length === 0,
    sizeBeforeBytes: before,
    sizeAfterBytes: after,
    sizeChangeBytes: after !== null && before !== null ? after - before : null,
    errors,
  };
}
