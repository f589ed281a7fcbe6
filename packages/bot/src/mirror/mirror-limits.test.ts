import { describe, expect, it } from 'vitest';
import { mirrorLimits } from './mirror-limits.js';

describe('mirrorLimits: the configured limits as the mirror takes them', () => {
  const table: [Parameters<typeof mirrorLimits>[0], ReturnType<typeof mirrorLimits>][] = [
    [{}, {}],
    [{ concurrency: 2 }, { concurrency: 2 }],
    [{ budgetMb: 1 }, { diskBudgetBytes: 1024 * 1024 }],
    [
      { budgetMb: 1.5, concurrency: 8 },
      { concurrency: 8, diskBudgetBytes: 1_572_864 },
    ],
    [{ budgetMb: 0.0000001 }, { diskBudgetBytes: 0 }],
  ];
  it.each(table)('%j → %j', (settings, options) => {
    expect(mirrorLimits(settings)).toEqual(options);
  });
});
