import type { CheckResult } from '../outcomes.js';
import type { ShadowBuild, SwitchCheck } from '../types.js';

/** All pre-switch checks, in the order they run. */
export const ALL_CHECKS: readonly SwitchCheck[] = ['RECORD_COUNT_VALIDATION', 'SIZE_COMPARISON', 'INTEGRITY_CHECK'];

/**
 * Seed 002's pre-switch checks, pure:
 * - RECORD_COUNT_VALIDATION: the build has records;
 * - SIZE_COMPARISON: its size is within `tolerance` (relative) of the index it replaces (any size when none);
 * - INTEGRITY_CHECK: it was built from the branch's current schema tree hash (a stale index never switches in).
 */
export function runSwitchChecks(
  shadow: ShadowBuild,
  current: ShadowBuild | null,
  currentTreeHash: string,
  checks: readonly SwitchCheck[],
  tolerance: number,
): CheckResult[] {
  return checks.map((check) => {
    switch (check) {
      case 'RECORD_COUNT_VALIDATION': {
        const n = shadow.recordCount ?? 0;
        return { check, passed: n > 0, detail: n > 0 ? `${n} records` : 'no records in shadow index' };
      }
      case 'SIZE_COMPARISON':
        return sizeComparison(shadow, current, tolerance);
      case 'INTEGRITY_CHECK': {
        const ok = shadow.treeHash === currentTreeHash;
        return {
          check,
          passed: ok,
          detail: ok
            ? `built from ${currentTreeHash}`
            : `stale: built from ${shadow.treeHash}, branch is at ${currentTreeHash}`,
        };
      }
    }
  });
}

function sizeComparison(shadow: ShadowBuild, current: ShadowBuild | null, tolerance: number): CheckResult {
  const check = 'SIZE_COMPARISON';
  const size = shadow.sizeBytes ?? 0;
  if (size <= 0) return { check, passed: false, detail: 'shadow index is empty (0 bytes)' };
  const before = current?.sizeBytes ?? 0;
  if (before <= 0) return { check, passed: true, detail: `${size} bytes (no current index to compare)` };
  const change = (size - before) / before;
  const passed = Math.abs(change) <= tolerance;
  const pct = (change * 100).toFixed(1);
  return {
    check,
    passed,
    detail: `${before} → ${size} bytes (${pct} %, tolerance ±${(tolerance * 100).toFixed(0)} %)`,
  };
}

/** ETA in seconds: the reported one, else extrapolated from progress so far; null before any progress. */
export function estimateEtaSeconds(
  progressPercent: number,
  elapsedMs: number,
  reported?: number | null,
): number | null {
  if (reported !== undefined && reported !== null) return Math.max(0, Math.round(reported));
  if (progressPercent <= 0) return null;
  if (progressPercent >= 100) return 0;
  return Math.round(((elapsedMs / progressPercent) * (100 - progressPercent)) / 1000);
}

/**
 * The checks a switch runs: the ones asked for, always with INTEGRITY_CHECK (a stale index never switches in
 * by naming a subset; only a forced switch goes past it, and that is audited), in `ALL_CHECKS` order.
 */
export function checksToRun(requested: readonly SwitchCheck[] = ALL_CHECKS): SwitchCheck[] {
  const wanted = new Set<SwitchCheck>([...requested, 'INTEGRITY_CHECK']);
  return ALL_CHECKS.filter((c) => wanted.has(c));
}
