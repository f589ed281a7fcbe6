import { describe, expect, it } from 'vitest';
import { budgetFloorMs, GITHUB_WRITE_BUDGET, parseWriteBudget, writeWait } from './write-budget.js';

describe('the write budget', () => {
  it('reads windows written limit/duration, and off', () => {
    expect(parseWriteBudget('1/1s,80/1m,500/1h')).toEqual(GITHUB_WRITE_BUDGET);
    expect(parseWriteBudget(' 8 / 250ms ')).toEqual([{ limit: 8, windowMs: 250 }]);
    expect(parseWriteBudget('off')).toEqual([]);
    for (const bad of ['', '80', '0/1s', '5/0s', '5/1d', '1/1s;80/1m']) expect(() => parseWriteBudget(bad)).toThrow();
  });

  const windows = [
    { limit: 2, windowMs: 1000 },
    { limit: 3, windowMs: 10_000 },
  ];
  it.each([
    ['nothing written yet', [], 0],
    ['one write, room for a second', [9_500], 0],
    ['two in the last second: until the older leaves it', [9_200, 9_900], 201],
    ['three in ten seconds: until the oldest leaves them', [1_000, 5_000, 9_000], 1_001],
    ['both windows full: the longer wait', [500, 9_600, 9_700], 601],
    ['writes that left every window do not count', [-20_000, -10_000, 0], 0],
    ['two still in flight (times ahead): a whole window once they are answered', [70_000, 70_000], 1_001],
  ])('%s', (_what, times, wait) => {
    expect(writeWait(times, windows, 10_000)).toBe(wait);
  });

  it('floors a burst: the writes needed ÷ the allowed rate of the tightest window', () => {
    expect(budgetFloorMs(1, GITHUB_WRITE_BUDGET)).toBe(0);
    expect(budgetFloorMs(80, GITHUB_WRITE_BUDGET)).toBe(79_000);
    expect(budgetFloorMs(800, GITHUB_WRITE_BUDGET)).toBe(3_600_000);
    expect(budgetFloorMs(800, [{ limit: 40, windowMs: 4000 }])).toBe(76_000);
  });
});
