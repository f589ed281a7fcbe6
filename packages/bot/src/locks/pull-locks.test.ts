import { locksBlockingWrite } from '@aegis/freeze';
import { describe, expect, it } from 'vitest';
import { aLock, NOW } from '../test-support/a-lock.js';
import {
  githubPrincipal,
  isPullLock,
  lockPrincipal,
  lockPull,
  mayRelease,
  pullLockMeta,
  pullLocks,
  whatBlocks,
} from './pull-locks.js';

describe('a pull request lock: written, recognised, released', () => {
  it('writes who took it and on which PR, and recognises it by that PR only', () => {
    expect(pullLockMeta('alice', 12)).toEqual({ by: 'alice', principal: 'github:alice', pr: '12' });
    expect(pullLockMeta('alice')).toEqual({ by: 'alice', principal: githubPrincipal('alice') });
    const lock = { meta: pullLockMeta('alice', 12) };
    expect(lockPull(lock)).toBe(12);
    expect(isPullLock(lock, 12)).toBe(true);
    expect(isPullLock(lock, 13)).toBe(false);
    expect(isPullLock(lock, undefined)).toBe(false);
    expect(lockPull({ meta: { indexingId: 'idx-1' } })).toBeUndefined();
    expect(lockPull({ meta: { pr: 'twelve' } })).toBeUndefined();
  });

  it("lists a PR's own locks among the branch's", () => {
    const locks = [aLock('schema:users', { pr: 12 }), aLock('schema:orders', { pr: 13 }), aLock('*')];
    expect(pullLocks(locks, 12).map((l) => l.id)).toEqual(['lock-schema:users']);
    expect(pullLocks(locks, undefined)).toEqual([]);
  });

  const indexing = (holder: string) => ({ ...aLock('*', { holder }), kind: 'INDEXING' as const });
  const principals: [string, Parameters<typeof lockPrincipal>[0], string][] = [
    ['written by /lock', aLock('*', { holder: 'alice', meta: pullLockMeta('alice') }), 'github:alice'],
    ['a /lock lock from before namespaces', aLock('*', { holder: 'alice', meta: { by: 'alice' } }), 'github:alice'],
    ['an indexing run', indexing('funnel-service'), 'indexing:funnel-service'],
    ['another principal written', aLock('*', { holder: 'alice', meta: { principal: 'api:alice' } }), 'api:alice'],
    ['a manual lock without a by', aLock('*', { holder: 'alice' }), 'manual:alice'],
    ['an indexing lock claiming a by', { ...indexing('bob'), meta: { by: 'bob' } }, 'indexing:bob'],
  ];
  it.each(principals)('names the principal of %s', (_, lock, principal) => {
    expect(lockPrincipal(lock)).toBe(principal);
  });

  const mine = (login: string, pr?: number) => ({ holder: login, meta: pullLockMeta(login, pr) });
  const release: [string, Parameters<typeof mayRelease>[0], { login: string; pr?: number }, boolean][] = [
    ['its holder, anywhere', aLock('schema:users', mine('alice')), { login: 'alice' }, true],
    ['not a GitHub user named like an indexer (#14)', indexing('alice'), { login: 'alice', pr: 12 }, false],
    [
      'not one named like an API principal',
      aLock('*', { holder: 'alice', meta: { principal: 'api:alice' } }),
      { login: 'alice' },
      false,
    ],
    [
      'anyone on the PR that took it',
      aLock('schema:users', { pr: 12, holder: 'alice' }),
      { login: 'bob', pr: 12 },
      true,
    ],
    ['not someone on another PR', aLock('schema:users', { pr: 12, holder: 'alice' }), { login: 'bob', pr: 13 }, false],
    ['not someone on an issue', aLock('schema:users', { pr: 12, holder: 'alice' }), { login: 'bob' }, false],
    ['not anyone else', aLock('*', { holder: 'indexer' }), { login: 'bob', pr: 12 }, false],
  ];
  it.each(release)('may be released by %s', (_, lock, who, allowed) => {
    expect(mayRelease(lock, who)).toBe(allowed);
  });
});

describe('whatBlocks: the locks that really block a PR, and until when', () => {
  it('defect 1: PR 12 own 2 h lock on users + another user 10 min lock on orders → retry after ~10 min', () => {
    const own = aLock('schema:users', { pr: 12, holder: 'alice', ttlMin: 120 });
    const other = aLock('schema:orders', { holder: 'bob', ttlMin: 10 });
    const covering = locksBlockingWrite(['schema:orders', 'schema:users'], [own, other], NOW);
    expect(covering).toHaveLength(2);
    const block = whatBlocks(covering, 12, NOW);
    expect(block.blocked).toEqual([other]);
    expect(block.retryAfterSeconds).toBe(600);
  });

  const cases: [string, ReturnType<typeof aLock>[], number | undefined, string[], number][] = [
    ['nothing covers it', [], 12, [], 0],
    ['only its own locks', [aLock('schema:users', { pr: 12, ttlMin: 60 })], 12, [], 0],
    ['a branch lock of the indexer', [aLock('*', { ttlMin: 5 })], 12, ['lock-*'], 300],
    [
      'someone else on the same PR number elsewhere',
      [aLock('schema:users', { pr: 7, ttlMin: 1 })],
      12,
      ['lock-schema:users'],
      60,
    ],
    [
      'the last of two foreign locks',
      [aLock('*', { ttlMin: 5 }), aLock('schema:*', { ttlMin: 45 })],
      12,
      ['lock-*', 'lock-schema:*'],
      2700,
    ],
    [
      'a lock of a PR when no PR asks',
      [aLock('schema:users', { pr: 12, ttlMin: 2 })],
      undefined,
      ['lock-schema:users'],
      120,
    ],
  ];
  it.each(cases)('%s', (_, locks, pr, ids, retry) => {
    const block = whatBlocks(locks, pr, NOW);
    expect(block.blocked.map((l) => l.id)).toEqual(ids);
    expect(block.retryAfterSeconds).toBe(retry);
  });
});
