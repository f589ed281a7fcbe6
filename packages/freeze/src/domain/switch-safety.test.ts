import { describe, expect, it } from 'vitest';
import type { IndexPointer, Lock, ShadowBuild } from '../types.js';
import { effectiveState } from './branch-decisions.js';
import { interruptedSwitch } from './shadow-recovery.js';
import { checksToRun } from './switch-checks.js';
import { switchRecord } from './switch-records.js';
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

describe('switchRecord: the record each switch step writes with its change', () => {
  const move = { subject: 'new', from: 'old', to: 'new', forced: false, switchDurationMs: 3 };
  it('names the swap, the automatic rollback with its verification, and a refusal', () => {
    expect(switchRecord({ step: 'swap', action: 'shadow.switched' }, move)).toEqual({
      action: 'shadow.switched',
      fields: {
        resourceType: 'shadow',
        resourceId: 'new',
        old: { active: 'old' },
        new: { active: 'new', switchDurationMs: 3, forced: false },
      },
    });
    const verification = {
      indexAccessible: false,
      verificationPassed: false,
      sizeBeforeBytes: null,
      sizeAfterBytes: null,
      sizeChangeBytes: null,
      errors: ['index not accessible: 503'],
    };
    const undo = switchRecord({ step: 'undo', verification }, { ...move, from: 'new', to: 'old' });
    expect(undo).toMatchObject({
      action: 'shadow.switch-rolled-back',
      fields: { reason: 'index not accessible: 503', new: { active: 'old', verification } },
    });
    const refused = switchRecord({ step: 'refused', refusal: 'INTEGRITY_CHECK: moved' }, { ...move, to: 'old' });
    expect(refused).toMatchObject({ action: 'shadow.switch-refused', fields: { reason: 'INTEGRITY_CHECK: moved' } });
  });
});
