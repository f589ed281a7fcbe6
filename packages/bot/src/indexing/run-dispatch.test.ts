import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../log.js';
import { ActorResolver } from '../rbac/resolve-actor.js';
import { FakeGitHubPort } from '../test-support/fake-github-port.js';
import { memoryFreeze } from '../test-support/memory-freeze.js';
import type { MemoryFreeze } from '../test-support/memory-freeze.js';
import { operationParts } from '../test-support/operation-parts.js';
import { policyRepo } from '../test-support/policy-repo.js';
import type { PolicyRepo } from '../test-support/policy-repo.js';
import { repoOperations } from './operation-context.js';
import { runDispatch } from './run-dispatch.js';

const POLICY = `roles:
  developer: { permissions: [schema:read, schema:write, branch:lock] }
  indexer: { permissions: [index:start] }
members:
  "@acme/devs": [developer]
  "funnel-indexer[bot]": [indexer]
`;
const REPO = 'acme/registry';
let world: MemoryFreeze;
let policy: PolicyRepo;
let n = 0;

beforeAll(async () => {
  [world, policy] = await Promise.all([memoryFreeze(), policyRepo(POLICY)]);
});
afterAll(async () => {
  await world.close();
  await policy.cleanup();
});

/** One dispatch on a branch of its own, run with narrow deps over GitHub-as-fields and the policy's repository. */
async function dispatch(sender: string, action: string) {
  const branch = `dispatch-${++n}`;
  const gh = new FakeGitHubPort();
  gh.teams = { 'acme/devs': ['dave'] };
  const deps = {
    mirror: policy.mirror,
    actors: new ActorResolver(),
    operationsIn: repoOperations.bind(null, operationParts(world.freeze)),
  };
  const access = { gh, info: { fullName: REPO, defaultBranch: 'main' } };
  const clientPayload = { branch_name: branch, indexing_id: `idx-${n}`, error: 'cluster red' };
  const delivery = `delivery-${n}`;
  await runDispatch(deps, { access, log: silentLog }, { action, sender, clientPayload, delivery });
  const records = (await world.freeze.queryAudit({ repo: REPO, branch, limit: 20 })).records;
  return { branch, actions: records.map((r) => [r.action, r.actor, r.resourceId]) };
}

describe('runDispatch: an aegis.* dispatch runs its operation as the sender, judged by the default branch policy', () => {
  // sender, action, what the audit then holds for the dispatch's branch
  const table: [string, string, (string | null)[][]][] = [
    ['funnel-indexer[bot]', 'aegis.indexing.started', [['indexing.started', 'funnel-indexer[bot]', null]]],
    ['funnel-indexer[bot]', 'aegis.indexing.failed', [['rbac.denied', 'funnel-indexer[bot]', 'index:complete']]],
    ['dave', 'aegis.indexing.started', [['rbac.denied', 'dave', 'index:start']]],
    ['eve', 'aegis.indexing.started', [['rbac.denied', 'eve', 'index:start']]],
  ];
  it.each(table)('%s sends %s', async (sender, action, audited) => {
    const { branch, actions } = await dispatch(sender, action);
    expect(actions).toEqual(audited);
    const state = await world.freeze.getBranchState({ repo: REPO, branch });
    expect(state.state).toBe(audited[0]?.[0] === 'indexing.started' ? 'LOCKED_FOR_WRITE' : 'ACTIVE');
  });

  it('reaches only its own repository', async () => {
    const access = { gh: new FakeGitHubPort(), info: { fullName: REPO, defaultBranch: 'main' } };
    const ops = repoOperations(operationParts(world.freeze), access, silentLog);
    expect(ops.defaultRepo).toBe(REPO);
    expect(await ops.github(REPO)).toBe(access);
    expect(await ops.github('acme/other')).toBeUndefined();
  });
});
