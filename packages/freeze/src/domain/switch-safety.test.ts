import { describe, expect, it } from 'vitest';
import type { IndexPointer, Lock, ShadowBuild } from '../types.js';
import { effectiveState } from './branch-decisions.js';
import { interruptedSwitch } from './shadow-recovery.js';
import { checksToRun } from './switch-checks.js';
import { verifySwitch } from './switch-verification.js';

const build = (over: Partial<ShadowBuild>): ShadowBuild =>
  ({ id: 's2', state: 'SWITCHING', updatedAt: 0, recordCount: 10, sizeBytes: 200, ...over }) as ShadowBuild;
const pointer = (active: string | null): IndexPointer => ({
  repo: 'r',
  branch: 'b',
  indexType: 'search',
  active,
  previous: null,
  switchedAt: 0,
});

describe('switch safety decisions', () => {
  it('always runs INTEGRITY_CHECK, in the seed order', () => {
    expect(checksToRun(['SIZE_COMPARISON', 'RECORD_COUNT_VALIDATION'])).toEqual([
      'RECORD_COUNT_VALIDATION',
      'SIZE_COMPARISON',
      'INTEGRITY_CHECK',
    ]);
    expect(checksToRun([])).toEqual(['INTEGRITY_CHECK']);
  });

  it('recovers an interrupted switch only once its lock is gone and its TTL has passed', () => {
    const lock = { kind: 'SWITCH', meta: { shadowId: 's2' } } as unknown as Lock;
    expect(interruptedSwitch(build({}), pointer('s1'), [lock], 20_000, 10_000)).toBeNull();
    expect(interruptedSwitch(build({ updatedAt: 15_000 }), pointer('s1'), [], 20_000, 10_000)).toBeNull();
    expect(interruptedSwitch(build({ state: 'BUILT' }), pointer('s1'), [], 20_000, 10_000)).toBeNull();
    expect(interruptedSwitch(build({}), pointer('s1'), [], 20_000, 10_000)).toMatchObject({ to: 'BUILT' });
    expect(interruptedSwitch(build({}), pointer('s2'), [], 20_000, 10_000)).toMatchObject({ to: 'ACTIVE' });
  });

  it('verifies a switch: pointer, state, records, the probe; the size change', () => {
    const ok = verifySwitch('s2', pointer('s2'), build({ state: 'ACTIVE' }), build({ sizeBytes: 150 }), null);
    expect(ok).toMatchObject({ indexAccessible: true, verificationPassed: true, sizeChangeBytes: 50 });
    expect(verifySwitch('s2', pointer('s1'), build({ state: 'ACTIVE' }), null, null)).toMatchObject({
      indexAccessible: false,
      errors: ['index missing: the pointer names s1, not s2'],
    });
    const empty = verifySwitch('s2', pointer('s2'), build({ state: 'ACTIVE', recordCount: 0 }), null, null);
    expect(empty).toMatchObject({ indexAccessible: true, verificationPassed: false });
  });

  it('counts READY as ACTIVE once the READY timeout has passed', () => {
    const ready = { state: 'READY' as const, locks: [], since: 1000, readyTimeoutMs: 500 };
    expect(effectiveState({ ...ready, now: 1400 })).toBe('READY');
    expect(effectiveState({ ...ready, now: 1500 })).toBe('ACTIVE');
  });
});
