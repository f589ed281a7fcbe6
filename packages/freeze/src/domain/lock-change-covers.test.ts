import { describe, expect, it } from 'vitest';
import { lockChangeCovers } from './lock-conflicts.js';

describe('lockChangeCovers: does a lock change on these resources matter to a pull request writing those', () => {
  const cases: [string[], string[], boolean][] = [
    [['*'], [], true],
    [['*'], ['schema:users'], true],
    [['schema:*'], ['schema:users'], true],
    [['schema:*'], [], false],
    [['object_type:*'], ['schema:users'], false],
    [['schema:users'], ['schema:policies', 'schema:users'], true],
    [['schema:users'], ['schema:policies'], false],
    [['schema:user'], ['schema:users'], false],
    [[], ['schema:users'], false],
  ];
  it.each(cases)('%j over %j → %s', (affected, resources, covers) => {
    expect(lockChangeCovers(affected, resources)).toBe(covers);
  });
});
