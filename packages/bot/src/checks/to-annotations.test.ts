import { describe, expect, it } from 'vitest';
import { toAnnotations } from './to-annotations.js';

describe('toAnnotations', () => {
  it('turns 0-based ranges into 1-based lines, with columns only on one line', () => {
    const range = (a: number, b: number, c: number, d: number) => ({
      start: { line: a, character: b },
      end: { line: c, character: d },
    });
    const [one, multi] = toAnnotations([
      {
        code: 'unknown-schema',
        severity: 'error',
        message: 'no schema "usr"',
        hint: 'Did you mean users?',
        file: 'a.yaml',
        range: range(4, 12, 4, 15),
      },
      { code: 'missing-primary-key', severity: 'warning', message: 'no key', file: 'b.yaml', range: range(0, 0, 9, 0) },
    ]);
    expect(one).toEqual({
      path: 'a.yaml',
      start_line: 5,
      end_line: 5,
      start_column: 13,
      end_column: 16,
      annotation_level: 'failure',
      title: 'unknown-schema',
      message: 'no schema "usr"\nDid you mean users?',
    });
    expect(multi).toMatchObject({ start_line: 1, end_line: 10, annotation_level: 'warning' });
    expect(multi).not.toHaveProperty('start_column');
  });
});
