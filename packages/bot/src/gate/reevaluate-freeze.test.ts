import type { FreezeService } from '@aegis/freeze';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitRepo } from '../../../../test/helpers/git-repo.js';
import type { GitRepo } from '../../../../test/helpers/git-repo.js';
import type { PullInfo } from '../github.js';
import { silentLog } from '../log.js';
import { ParseCache } from '../mirror/parse-cache.js';
import { aPull as fakePull, FakeGitHubPort } from '../test-support/fake-github-port.js';
import { memoryFreeze } from '../test-support/memory-freeze.js';
import type { MemoryFreeze } from '../test-support/memory-freeze.js';
import type { Gate } from './gate-ports.js';
import type { PullChange } from './read-pull.js';
import { affectedPulls, reevaluateFreeze } from './reevaluate-freeze.js';

const schema = (name: string, version = '1.0.0') =>
  `name: ${name}\nowner: ${name}-service\nversion: ${version}\ncolumns:\n  - { name: id, type: UUID, primary_key: true }\n`;
const change = (...resources: string[]) => ({ resources }) as PullChange;
const aPull = (number: number, headSha: string, body: string | null = null): PullInfo => ({
  number,
  headSha,
  baseRef: 'main',
  body,
  author: 'alice',
  authorType: 'User',
  state: 'open',
});

describe('affectedPulls', () => {
  const users = { pull: aPull(1, 'a'), change: change('schema:users') };
  const orders = { pull: aPull(2, 'b'), change: change('schema:orders') };
  const unreadable = { pull: aPull(3, 'c'), change: undefined };
  const nothing = { pull: aPull(4, 'd'), change: change() };
  it.each<[string, string[], number[]]>([
    ['a lock on one schema: the PRs changing it', ['schema:users'], [1]],
    ['a lock on every schema: every PR changing one', ['schema:*'], [1, 2]],
    ['a branch lock: every PR the mirror could read', ['*'], [1, 2, 4]],
    ['a lock on a schema nobody changes: none', ['schema:payments'], []],
    ['no resource affected: none', [], []],
  ])('%s', (_, affected, expected) => {
    expect(affectedPulls(affected, [users, orders, unreadable, nothing]).map((p) => p.pull.number)).toEqual(expected);
  });
});

describe('reevaluateFreeze', () => {
  let repo: GitRepo;
  let store: MemoryFreeze;
  let freeze: FreezeService;
  let pulls: PullInfo[];
  const gh = new FakeGitHubPort();
  const published = () =>
    gh.checkRuns.map(({ params: p }) => ({
      name: p['name'],
      head_sha: p['head_sha'],
      conclusion: p['conclusion'],
      title: (p['output'] as { title: string }).title,
    }));
  const seen = { comments: [] as number[], merges: [] as number[], syncs: 0 };

  beforeAll(async () => {
    repo = await createGitRepo({
      files: { '.kiro/schemas/users.yaml': schema('users'), '.kiro/schemas/orders.yaml': schema('orders') },
    });
    await repo.branch('pr-1');
    const users = await repo.commit('users', { '.kiro/schemas/users.yaml': schema('users', '1.0.1') });
    await repo.branch('pr-2', 'main');
    const orders = await repo.commit('orders', { '.kiro/schemas/orders.yaml': schema('orders', '1.0.1') });
    await repo.checkout('main');
    // PR 3's head is a commit the mirror does not have: it is skipped, never stops the others.
    pulls = [aPull(1, users, 'Fixes #7'), aPull(2, orders), aPull(3, 'f'.repeat(40))];
    for (const p of pulls) gh.pulls.set(p.number, { ...fakePull(p.number), ...p });
    store = await memoryFreeze();
    freeze = store.freeze;
  });
  afterAll(async () => {
    await store.close();
    await repo.cleanup();
  });

  function fakes(): { gate: Gate; gh: FakeGitHubPort } {
    const gate: Gate = {
      freeze,
      mirror: { sync: async () => (seen.syncs++, repo.dir) },
      cache: new ParseCache(),
      actors: { resolve: () => Promise.reject(new Error('aegis/freeze needs no actor')) },
      config: { dedupeTtlMs: 3600_000 },
      checkRuns: { inc: () => undefined },
      syncAuditComment: async (_gh, issue) => void seen.comments.push(issue.number),
      afterChecks: async (_repo, pr) => void seen.merges.push(pr),
    };
    return { gate, gh };
  }

  it('publishes aegis/freeze through the gate on the PRs a lock covers, with the audit and the issue comment', async () => {
    const { gate, gh } = fakes();
    const lock = await freeze.acquireLock(
      {
        repo: 'acme/registry',
        branch: 'main',
        scope: 'RESOURCE',
        resourceType: 'schema',
        resourceId: 'users',
        holder: 'bob',
        reason: 'migrating',
        ttlMs: 600_000,
      },
      { actor: 'bob' },
    );
    const scope = { gh, repo: { fullName: 'acme/registry', defaultBranch: 'main' }, log: silentLog };
    expect(await reevaluateFreeze(gate, scope, 'main', lock.affected)).toEqual([1]);
    expect(seen.syncs).toBe(1); // one mirror sync for every open PR
    expect(published()).toEqual([
      { name: 'aegis/freeze', head_sha: pulls[0]!.headSha, conclusion: 'failure', title: 'Frozen: 1 lock on main' },
    ]);
    const audit = await freeze.queryAudit({ repo: 'acme/registry', action: 'check.blocked' });
    expect(audit.records.map((r) => [r.resourceId, r.issue])).toEqual([['aegis/freeze', '#7']]);
    expect(seen.comments).toEqual([7]);
    expect(seen.merges).toEqual([]);

    // Released: green again, and auto-merge gets its turn, as after any other run of the checks.
    const released = await freeze.releaseLock(lock.lock, { actor: 'bob' });
    expect(await reevaluateFreeze(gate, scope, 'main', released.affected)).toEqual([1]);
    expect(published().at(-1)).toMatchObject({ name: 'aegis/freeze', conclusion: 'success' });
    expect(seen.merges).toEqual([1]);
  });

  it('asks GitHub for nothing when no resource was affected, and lists once when no PR is open', async () => {
    const { gate } = fakes();
    const idle = new FakeGitHubPort();
    const scope = { gh: idle, repo: { fullName: 'acme/registry', defaultBranch: 'main' }, log: silentLog };
    expect(await reevaluateFreeze(gate, scope, 'main', [])).toEqual([]);
    expect(idle.calls).toEqual([]);
    expect(await reevaluateFreeze(gate, scope, 'main', ['schema:users'])).toEqual([]); // no open PR into it
    expect(idle.calls.map((c) => c.method)).toEqual(['listOpenPulls']);
  });
});
