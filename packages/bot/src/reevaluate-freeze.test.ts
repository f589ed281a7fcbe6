import { describe, expect, it } from 'vitest';
import { touches } from './reevaluate-freeze.js';

describe('touches', () => {
  it('matches a branch lock, a type lock and a resource lock against a PR', () => {
    expect(touches(['*'], [])).toBe(true);
    expect(touches(['schema:*'], ['schema:users'])).toBe(true);
    expect(touches(['schema:*'], [])).toBe(false);
    expect(touches(['object_type:*'], ['schema:users'])).toBe(false);
    expect(touches(['schema:users'], ['schema:policies', 'schema:users'])).toBe(true);
    expect(touches(['schema:users'], ['schema:policies'])).toBe(false);
    expect(touches([], ['schema:users'])).toBe(false);
  });
});
