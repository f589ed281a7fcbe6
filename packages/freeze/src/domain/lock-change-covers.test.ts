import { describe, expect, it } from 'vitest';
import { lockChangeCovers, targetsConflict } from './lock-conflicts.js';
import type { LockTarget } from '../types.js';

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
    // A table's parts (issue 16 item 8): a lock on the table or on every table covers them.
    [['index:*'], ['index:users.idx_users_email', 'schema:users'], true],
    [['index:*'], ['column:users.nickname', 'schema:users'], false],
    [['schema:users'], ['column:users.nickname'], true],
    [['schema:*'], ['reference:orders.user_id'], true],
    [['schema:orders'], ['column:users.nickname'], false],
    [['index:users.idx_users_email'], ['index:users.idx_users_email'], true],
    // A lock on one part does not freeze the rest of the table (its version bump included).
    [['column:users.email'], ['column:users.nickname', 'schema:users'], false],
    [['rbac:*'], ['rbac:policy'], true],
    [['registry:metadata'], ['schema:users'], false],
  ];
  it.each(cases)('%j over %j → %s', (affected, resources, covers) => {
    expect(lockChangeCovers(affected, resources)).toBe(covers);
  });
});

describe('targetsConflict: two locks conflict when some resource is covered by both', () => {
  const t = (text: string): LockTarget => {
    if (text === 'BRANCH') return { scope: 'BRANCH' };
    const [type = '', id] = text.split(':');
    return id === undefined
      ? { scope: 'RESOURCE_TYPE', resourceType: type }
      : { scope: 'RESOURCE', resourceType: type, resourceId: id };
  };
  const cases: [string, string, boolean][] = [
    ['BRANCH', 'index', true],
    ['schema', 'index', true],
    ['schema', 'index:users.idx_a', true],
    ['schema:users', 'index:users.idx_a', true],
    ['schema:users', 'index', true],
    ['schema:orders', 'index:users.idx_a', false],
    ['index', 'column', false],
    ['index', 'column:users.email', false],
    ['column:users.email', 'column:users.nickname', false],
    ['object_type', 'object_type:User', true],
    ['object_type', 'schema:users', false],
  ];
  it.each(cases)('%s × %s → %s', (a, b, conflict) => {
    expect(targetsConflict(t(a), t(b))).toBe(conflict);
    expect(targetsConflict(t(b), t(a))).toBe(conflict);
  });
});
