import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseRbacPolicy } from '@aegis/core';
import type { InboundContext } from '@aegis/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAegisHttp } from '../api/aegis-http.js';
import { ApiTokens, hashApiToken } from '../api/api-tokens.js';
import { busOperationRunner } from '../events/bus-operation-runner.js';
import { withGate } from '../indexing/operation-context.js';
import { FakeGitHubPort } from '../test-support/fake-github-port.js';
import { useMemoryFreeze } from '../test-support/memory-freeze.js';
import { operationParts } from '../test-support/operation-parts.js';
import { policyRepo } from '../test-support/policy-repo.js';
import type { PolicyRepo } from '../test-support/policy-repo.js';
import { mirrorPolicyLoader, PolicyCache } from './policy-cache.js';

const REPO = 'acme/registry';
const POLICY = `roles:
  indexer: { permissions: [branch:read, index:start] }
  auditor: { permissions: [audit:read] }
`;
const { policy } = parseRbacPolicy('.kiro/rbac.yaml', POLICY);
const world = useMemoryFreeze();

/** A one-minute cache over a loader that records each read, on a clock the test sets (`clock.now`). */
function countingCache() {
  const clock = { now: 0 };
  const reads: string[] = [];
  const policies = new PolicyCache(
    async (repo) => (reads.push(repo), policy),
    () => clock.now,
    60_000,
  );
  return { policies, reads, clock };
}

describe('PolicyCache: one read per repository per minute, the last good one when a read fails', () => {
  it('caches by repository (case-blind) until the TTL passes', async () => {
    const { policies, reads, clock } = countingCache();
    await policies.of('acme/registry');
    await policies.of('acme/registry');
    await policies.of('ACME/registry');
    expect(reads).toEqual(['acme/registry']);
    clock.now = 60_000;
    await policies.of('acme/registry');
    expect(reads).toHaveLength(2);
  });

  it('keeps the last policy read while reads fail, and reports each failure', async () => {
    let now = 0;
    let fail = false;
    const errors: string[] = [];
    const policies = new PolicyCache(
      async () => (fail ? Promise.reject(new Error('github down')) : policy),
      () => now,
      1000,
      (err, repo) => errors.push(`${repo}: ${(err as Error).message}`),
    );
    expect(await policies.of('a/b')).toBe(policy);
    fail = true;
    now = 5000;
    expect(await policies.of('a/b')).toBe(policy);
    expect(await policies.of('c/d')).toBeUndefined();
    expect(errors).toEqual(['a/b: github down', 'c/d: github down']);
    fail = false;
    expect(await policies.of('c/d')).toBe(policy); // a failed read is not cached
  });
});

describe('mirrorPolicyLoader: the default branch of the repository, through the mirror', () => {
  let repo: PolicyRepo;
  beforeAll(async () => {
    repo = await policyRepo(POLICY);
  });
  afterAll(() => repo.cleanup());

  it('reads .kiro/rbac.yaml at the default branch with the installation token', async () => {
    const gh = new FakeGitHubPort();
    const syncs: unknown[][] = [];
    const load = mirrorPolicyLoader({
      github: async (name) => (name === 'acme/registry' ? { gh, info: { defaultBranch: 'main' } } : undefined),
      bot: { mirror: { sync: async (...args: unknown[]) => (syncs.push(args), repo.dir) } },
    });
    expect((await load('acme/registry'))?.roles.get('auditor')?.permissions).toEqual(['audit:read']);
    expect(syncs).toEqual([['acme/registry', expect.any(Function), { branches: ['main'] }]]);
    // The token is fetched when the mirror runs the job, not when it is queued (#15).
    expect(await (syncs[0]![1] as () => Promise<string>)()).toBe('installation-token');
    expect(await load('acme/elsewhere')).toBeUndefined();
  });
});

/** An indexing run starting on a branch of its own, as the bus dispatcher hands it over. */
function startEvent(n: number) {
  const data = { repository: REPO, branch_name: `policy-${n}`, indexing_id: `idx-${n}` };
  const event = {
    specversion: '1.0' as const,
    id: `evt-${n}`,
    source: 'funnel-service',
    type: 'com.oms.indexing.started',
    time: new Date().toISOString(),
    datacontenttype: 'application/json' as const,
    data,
  };
  const context: InboundContext = { kind: 'indexing.started', event, actor: 'funnel', delivery: event.id, attempt: 1 };
  return { data, context };
}

describe('one policy source for the HTTP API and the NATS bus', () => {
  it('reads a repository’s policy once within its TTL, whichever transport asks', async () => {
    const { policies, reads, clock } = countingCache();
    const { bot, gate } = operationParts(world.freeze);
    const ops = withGate({ bot, defaultRepo: REPO, github: async () => undefined }, gate);
    const entry = { name: 'funnel', roles: ['indexer'], sha256: hashApiToken('t0k3n') };
    const tokens = ApiTokens.fromJson([{ json: JSON.stringify([entry]), where: 'test' }]);
    const http = createAegisHttp(ops, tokens, policies);
    const server = createServer((req, res) => void http(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/aegis/api/v1/branch-locks/status/main`;
    const bus = busOperationRunner(ops, { identity: { name: 'event-bus', roles: ['indexer'] }, policies });
    const viaApi = async () => {
      const answer = await fetch(`${url}?repo=${REPO}`, { headers: { authorization: 'Bearer t0k3n' } });
      expect(answer.status).toBe(200);
    };
    let n = 0;
    const viaBus = async () => {
      const { data, context } = startEvent(++n);
      expect(await bus('indexing.started', data, context)).toMatchObject({ to: 'LOCKED_FOR_WRITE' });
    };
    try {
      await viaApi();
      expect(reads).toEqual([REPO]); // the API reads through the cache it is given
      await viaBus();
      clock.now = 59_999;
      await viaApi();
      await viaBus();
      expect(reads).toEqual([REPO]); // and the bus is served from that read, within the TTL
      clock.now = 60_000;
      await viaBus();
      expect(reads).toEqual([REPO, REPO]);
      await viaApi();
      expect(reads).toEqual([REPO, REPO]);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
