import { parseRbacPolicy } from '@aegis/core';
import type { RbacPolicy } from '@aegis/core';
import type { InboundContext, InboundData } from '@aegis/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError } from '../errors.js';
import { withGate } from '../indexing/operation-context.js';
import { memoryFreeze } from '../test-support/memory-freeze.js';
import type { MemoryFreeze } from '../test-support/memory-freeze.js';
import { operationParts } from '../test-support/operation-parts.js';
import { DEFAULT_BUS_IDENTITY } from './bus-identity.js';
import { busOperationRunner } from './bus-operation-runner.js';

const REPO = 'acme/registry';
let world: MemoryFreeze;
let n = 0;

beforeAll(async () => {
  world = await memoryFreeze();
});
afterAll(() => world.close());

const policyOf = (roles: string): RbacPolicy => parseRbacPolicy('.kiro/rbac.yaml', `roles:\n${roles}`).policy;

/** One inbound event on a branch of its own, as the dispatcher hands it over (the actor is the event's claim). */
function inbound(operation: string): { data: InboundData; context: InboundContext } {
  const id = `evt-${++n}`;
  const data: InboundData = { repository: REPO, branch_name: `bus-${n}`, indexing_id: `idx-${n}`, shadow_id: 'sh-1' };
  const event = {
    specversion: '1.0' as const,
    id,
    source: 'funnel-service',
    type: `com.oms.${operation}`,
    time: new Date().toISOString(),
    datacontenttype: 'application/json' as const,
    data,
  };
  return { data, context: { kind: 'indexing.started', event, actor: 'funnel-service', delivery: id, attempt: 1 } };
}

/** The bus runner with policies by repository (one policy for every repository, or a function). */
function runner(
  policy: RbacPolicy | undefined | ((repo: string) => RbacPolicy | undefined),
  roles: string[],
  asked: string[] = [],
) {
  const { bot, gate } = operationParts(world.freeze);
  const ops = withGate({ bot, github: async () => undefined }, gate);
  const of = async (repo: string) => (asked.push(repo), typeof policy === 'function' ? policy(repo) : policy);
  const policies = { of };
  return busOperationRunner(ops, { identity: { name: 'event-bus', roles }, policies });
}

const audited = async (delivery: string) =>
  (await world.freeze.queryAudit({ repo: REPO, limit: 200 })).records.filter((r) => r.delivery === delivery);

describe('busOperationRunner: every bus event judged as the configured identity under its repository policy', () => {
  // policy (undefined: none readable), the identity's roles, operation, permission, allowed
  const table: [string, RbacPolicy | undefined, string[], string, string, boolean][] = [
    ['no policy: the built-in indexer', undefined, ['indexer'], 'indexing.started', 'index:start', true],
    [
      'the policy narrows the indexer',
      policyOf('  indexer: { permissions: [index:complete] }'),
      ['indexer'],
      'indexing.started',
      'index:start',
      false,
    ],
    [
      'the policy keeps index:start',
      policyOf('  indexer: { permissions: [index:start] }'),
      ['indexer'],
      'indexing.started',
      'index:start',
      true,
    ],
    [
      'the policy lacks index:switch',
      policyOf('  indexer: { permissions: [index:start] }'),
      ['indexer'],
      'shadow.switch',
      'index:switch',
      false,
    ],
    [
      'a role only the policy defines',
      policyOf('  funnel: { permissions: ["index:*"] }'),
      ['funnel'],
      'indexing.started',
      'index:start',
      true,
    ],
    ['a role nobody defines', undefined, ['auditor'], 'indexing.started', 'index:start', false],
    ['no role at all', undefined, [], 'indexing.started', 'index:start', false],
    [
      'the policy narrows even admin',
      policyOf('  admin: { permissions: [schema:read] }'),
      ['admin'],
      'indexing.started',
      'index:start',
      false,
    ],
  ];
  it.each(table)('%s', async (_, policy, roles, operation, permission, allowed) => {
    const asked: string[] = [];
    const { data, context } = inbound(operation);
    const run = runner(policy, roles, asked)(operation, data, context);
    if (allowed) {
      await run;
      const state = await world.freeze.getBranchState({ repo: REPO, branch: data.branch_name });
      expect(state.state).toBe('LOCKED_FOR_WRITE');
      // The operation's records name the event's actor; the bus identity only decided.
      expect((await audited(context.delivery)).map((r) => [r.action, r.actor])).toContainEqual([
        'indexing.started',
        'funnel-service',
      ]);
    } else {
      await expect(run).rejects.toBeInstanceOf(ForbiddenError);
      const [denial, ...more] = await audited(context.delivery);
      expect(more).toEqual([]);
      expect(denial).toMatchObject({
        action: 'rbac.denied',
        actor: 'event-bus',
        resourceType: 'permission',
        resourceId: permission,
        branch: data.branch_name,
      });
      const state = await world.freeze.getBranchState({ repo: REPO, branch: data.branch_name });
      expect(state.state).toBe('ACTIVE');
    }
    expect(asked).toEqual([REPO]);
  });

  it('refuses with the identity and roles in the error, as the API does', async () => {
    const { data, context } = inbound('indexing.started');
    const run = runner(policyOf('  indexer: { permissions: [branch:read] }'), ['indexer'])(
      'indexing.started',
      data,
      context,
    );
    await expect(run).rejects.toThrow('event-bus (indexer) lacks index:start');
  });

  it("judges a shadow build's operation in the build's repository, whatever repository the event names", async () => {
    const ref = { repo: REPO, branch: 'bus-shadow' };
    const build = { ...ref, indexType: 'search', resourceTypes: [], treeHash: 'a'.repeat(40) };
    const { shadow } = await world.freeze.shadow.start(build, { actor: 'test' });
    const strict = policyOf('  indexer: { permissions: [index:start] }');
    const lenient = policyOf('  indexer: { permissions: ["index:*"] }');
    const asked: string[] = [];
    const { context } = inbound('shadow.switch');
    const data = { ...context.event.data, repository: 'acme/lenient', shadow_id: shadow.id };
    const run = runner((repo) => (repo === REPO ? strict : lenient), ['indexer'], asked)('shadow.switch', data, {
      ...context,
      event: { ...context.event, data },
    });
    await expect(run).rejects.toBeInstanceOf(ForbiddenError);
    expect(asked).toEqual([REPO]);
    expect(await audited(context.delivery)).toEqual([
      expect.objectContaining({ action: 'rbac.denied', branch: ref.branch, resourceId: 'index:switch' }),
    ]);
  });

  it('defaults to event-bus with the indexer role (docs/events.md)', () => {
    expect(DEFAULT_BUS_IDENTITY).toEqual({ name: 'event-bus', roles: ['indexer'] });
  });
});
