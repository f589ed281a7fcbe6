import { describe, expect, it } from 'vitest';
import { aLock, NOW } from '../test-support/a-lock.js';
import { freezeCheck, readFreezeVerdict, waitText } from './freeze-check.js';
import type { FreezeFacts } from './freeze-check.js';
import { StoreUnavailableError } from '@aegis/freeze';

const ref = { repo: 'acme/registry', branch: 'main' };
const facts = (locks: ReturnType<typeof aLock>[], over: Partial<FreezeFacts> = {}): FreezeFacts => ({
  ref,
  resources: ['schema:orders', 'schema:users'],
  pr: 12,
  htmlUrl: 'https://ghe.acme.test/acme/registry',
  verdict: { kind: 'verdict', state: 'ACTIVE', locks, now: NOW },
  ...over,
});

describe('freezeCheck: a pure function of the write verdict and the store clock', () => {
  it('defect 1: lists only the foreign lock and retries after it, not after the PR own 2 h lock', () => {
    const own = aLock('schema:users', { pr: 12, holder: 'alice', ttlMin: 120 });
    const other = aLock('schema:orders', { holder: 'bob', ttlMin: 10, reason: 'backfill' });
    const r = freezeCheck(facts([own, other]));
    expect(r).toMatchObject({ conclusion: 'failure', title: 'Frozen: 1 lock on main' });
    expect(r.summary).toContain('`lock-schema:orders` on `schema:orders` held by bob');
    expect(r.summary).toContain('expires in ~10 min');
    expect(r.summary).not.toContain('lock-schema:users');
    expect(r.summary).toContain('Retry after ~10 min (when the last of these expires)');
  });

  const cases: [string, ReturnType<typeof aLock>[], 'success' | 'failure', string][] = [
    ['no lock', [], 'success', 'main is open for these changes'],
    ['only its own lock', [aLock('schema:users', { pr: 12 })], 'success', 'main is open for these changes'],
    ['a lock on a schema it does not touch', [aLock('schema:policies')], 'success', 'main is open for these changes'],
    ['an expired lock', [{ ...aLock('*'), expiresAt: NOW - 1 }], 'success', 'main is open for these changes'],
    [
      'a branch lock',
      [aLock('*', { holder: 'funnel', meta: { indexingId: 'idx-1' } })],
      'failure',
      'Frozen: 1 lock on main',
    ],
    [
      'a type lock and a resource lock',
      [aLock('schema:*'), aLock('schema:orders')],
      'failure',
      'Frozen: 2 locks on main',
    ],
  ];
  it.each(cases)('%s → %s', (_, locks, conclusion, title) => {
    expect(freezeCheck(facts(locks))).toMatchObject({ name: 'aegis/freeze', conclusion, title });
  });

  it('names the holder: a PR link on the repository host, or the indexing job', () => {
    const byPr = freezeCheck(facts([aLock('schema:orders', { pr: 9, holder: 'carol' })]));
    expect(byPr.summary).toContain('carol (https://ghe.acme.test/acme/registry/pull/9)');
    const byJob = freezeCheck(facts([aLock('*', { holder: 'funnel', meta: { indexingId: 'idx-7' } })]));
    expect(byJob.summary).toContain('funnel (indexing job `idx-7`)');
  });

  it('fails closed when the store could not be asked, and says a PR without schemas changes nothing', () => {
    const down = freezeCheck(facts([], { verdict: { kind: 'unreachable', correlationId: '0123456789abcdef' } }));
    expect(down).toMatchObject({ conclusion: 'failure', title: 'Lock store unreachable' });
    expect(down.summary).toContain('The lock store is unreachable (correlation id `0123456789abcdef`)');
    expect(freezeCheck(facts([], { resources: [] })).summary).toContain('(no schema)');
  });

  it('reads the verdict once from the store and turns an outage into an answer', async () => {
    const lock = aLock('*');
    const up = {
      getBranchState: async () => ({
        ...ref,
        state: 'LOCKED_FOR_WRITE' as const,
        since: NOW,
        reason: 'indexing',
        actor: 'funnel',
        locks: [lock],
        now: NOW,
      }),
    };
    expect(await readFreezeVerdict(up, ref)).toEqual({
      kind: 'verdict',
      state: 'LOCKED_FOR_WRITE',
      locks: [lock],
      now: NOW,
    });
    const gone = new StoreUnavailableError('Redis unavailable at redis://:hunter2@10.1.2.3:6379: ECONNREFUSED');
    const down = { getBranchState: async () => Promise.reject(gone) };
    const logged: unknown[] = [];
    const verdict = await readFreezeVerdict(down, ref, { warn: (obj) => void logged.push(obj) });
    expect(verdict.kind).toBe('unreachable');
    // The summary is public (anyone who sees the PR): the store's text goes to the log under the same id.
    const summary = freezeCheck(facts([], { verdict })).summary;
    expect(summary).not.toMatch(/hunter2|10\.1\.2\.3|ECONNREFUSED|Redis/);
    const id = verdict.kind === 'unreachable' ? verdict.correlationId : '';
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(summary).toContain(id);
    expect(logged).toEqual([expect.objectContaining({ err: gone, correlationId: id })]);
    const broken = { getBranchState: async () => Promise.reject(new Error('bug')) };
    await expect(readFreezeVerdict(broken, ref)).rejects.toThrow('bug');
  });

  it.each([
    [40, '40 s'],
    [119, '119 s'],
    [600, '10 min'],
    [7199, '120 min'],
    [7200, '2 h'],
  ])('waitText(%i) = %s', (seconds, text) => {
    expect(waitText(seconds)).toBe(text);
  });
});
