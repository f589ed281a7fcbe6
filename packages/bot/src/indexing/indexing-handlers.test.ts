import { LockConflictError } from '@aegis/freeze';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { tokenPrincipal } from '../rbac/authorize.js';
import { aPull, FakeGitHubPort } from '../test-support/fake-github-port.js';
import { useMemoryFreeze } from '../test-support/memory-freeze.js';
import { operationParts } from '../test-support/operation-parts.js';
import { indexingFailed, indexingStarted, reportedDuration } from './indexing-handlers.js';

const REPO = 'acme/registry';
const caller = { identity: 'funnel', principal: tokenPrincipal('funnel', ['indexer']), transport: 'api' as const };
const world = useMemoryFreeze();
let n = 0;

/**
 * Only what the indexing-run handlers use: the freeze facade, the duration metric, GitHub-as-fields for the
 * repository, and a gate whose mirror refuses (a re-check of a PR is then logged and skipped).
 */
function ports(gh = new FakeGitHubPort()) {
  return {
    bot: {
      freeze: world.freeze,
      metrics: { registry: new Registry() },
      config: {},
      auditComments: new Map<string, number>(),
    },
    github: async (name: string) =>
      name === REPO ? { gh, info: { fullName: REPO, defaultBranch: 'main' } } : undefined,
    gate: operationParts(world.freeze).gate(async () => undefined),
  };
}

describe('indexing.started: a second start while the branch is indexed is a write refused during a freeze', () => {
  it('answers the live indexing lock and when to retry (423), not an illegal transition', async () => {
    const branch = `started-${++n}`;
    const ops = ports();
    const first = await indexingStarted(ops, { repo: REPO, branch, indexingId: 'idx-1', ttlSeconds: 600 }, caller);
    expect(first.to).toBe('LOCKED_FOR_WRITE');
    const second = indexingStarted(ops, { repo: REPO, branch, indexingId: 'idx-2' }, caller);
    await expect(second).rejects.toBeInstanceOf(LockConflictError);
    const error = (await second.catch((e: unknown) => e)) as LockConflictError;
    expect(error.conflicts.map((l) => l.id)).toEqual([first.lock?.id]);
    expect(error.retryAfterSeconds).toBeGreaterThan(590);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(600);
  });
});

describe('indexing.failed: the PRs into the branch and the PRs whose head it is are told, no other', () => {
  it('comments on each with the side it is on, audited under the PR', async () => {
    const branch = `failed-${++n}`;
    const gh = new FakeGitHubPort({
      pulls: [
        aPull(1, { baseRef: branch }),
        aPull(2, { headRef: branch, baseRef: 'main' }),
        aPull(3, { baseRef: 'elsewhere' }),
      ],
    });
    const ops = ports(gh);
    await indexingStarted(ops, { repo: REPO, branch, indexingId: 'idx-1' }, caller);
    const out = await indexingFailed(ops, { repo: REPO, branch, indexingId: 'idx-1', error: 'cluster red' }, caller);
    expect([out.from, out.to]).toEqual(['LOCKED_FOR_WRITE', 'ERROR']);
    expect(gh.commentsOn(1)).toEqual([
      expect.stringContaining(`Indexing of \`${branch}\` by funnel failed: cluster red`),
    ]);
    expect(gh.commentsOn(2)).toEqual([expect.stringContaining(`this PR's branch \`${branch}\``)]);
    expect(gh.commentsOn(3)).toEqual([]);
    const told = (await world.freeze.queryAudit({ repo: REPO, limit: 50 })).records
      .map((r) => ({ ...r, details: r.new as { branch?: string; side?: string } | null }))
      .filter((r) => r.action === 'indexing.failed.notified' && r.details?.branch === branch)
      .map((r) => [r.resourceId, r.details?.side]);
    expect(told.sort()).toEqual([
      ['1', 'into'],
      ['2', 'from'],
    ]);
  });
});

describe('reportedDuration: the indexer’s own start and end, when it gives them', () => {
  const now = Date.parse('2026-12-06T10:00:10Z');
  const table: [string, { startedAt?: string; completedAt?: string }, { durationMs?: number }][] = [
    ['no start: the lock’s age decides', {}, {}],
    [
      'start and end',
      { startedAt: '2026-12-06T09:59:00Z', completedAt: '2026-12-06T10:00:00Z' },
      { durationMs: 60_000 },
    ],
    ['start only: until now', { startedAt: '2026-12-06T10:00:00Z' }, { durationMs: 10_000 }],
    [
      'an end before the start is ignored',
      { startedAt: '2026-12-06T10:00:00Z', completedAt: '2026-12-06T09:00:00Z' },
      {},
    ],
  ];
  it.each(table)('%s', (_name, times, expected) => {
    expect(reportedDuration(times, now)).toEqual(expected);
  });
});
