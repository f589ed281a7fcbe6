import { describe, expect, it } from 'vitest';
import { uniqueRef, waitFor } from './test-support/backends.js';
import { BACKENDS, useFreeze } from './test-support/suite.js';

// Small sets that outlive a delivery (who pushed to a pull request, #14): the same answers on every backend.
describe.each(BACKENDS)('member sets on %s', (backend) => {
  const { freeze } = useFreeze(backend);
  const aSet = () => `pushers:${uniqueRef('set').branch}#12`;

  it('adds each member once, says whether it was new, and lists them in the order added', async () => {
    const key = aSet();
    expect(await freeze().members(key)).toEqual([]);
    expect(await freeze().addMember(key, 'mallory abc1234', 60_000)).toBe(true);
    expect(await freeze().addMember(key, 'alice 0ff1ce0', 60_000)).toBe(true);
    expect(await freeze().addMember(key, 'mallory abc1234', 60_000)).toBe(false);
    expect(await freeze().members(key)).toEqual(['mallory abc1234', 'alice 0ff1ce0']);
    expect(await freeze().members(aSet())).toEqual([]);
  });

  it('keeps the whole set from its latest addition, then forgets it', async () => {
    const key = aSet();
    await freeze().addMember(key, 'first', 1500);
    await new Promise((r) => setTimeout(r, 900));
    await freeze().addMember(key, 'second', 1500);
    await new Promise((r) => setTimeout(r, 900));
    // 1.8 s after the first addition: the second one kept it.
    expect(await freeze().members(key)).toEqual(['first', 'second']);
    await waitFor(async () => (await freeze().members(key)).length === 0, 2500);
    expect(await freeze().addMember(key, 'first', 60_000)).toBe(true);
    expect(await freeze().members(key)).toEqual(['first']);
  });
});
