import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Harness, RBAC_YAML, REPO } from '../bot/harness.js';
import { IndexingStandIn } from './indexing-stand-in.js';
import { deleteStream, privateNames, SHARED_NATS } from './nats-support.js';

/** The test policy with an `indexer` role that may complete indexing but not start it. */
const NARROW_INDEXER = RBAC_YAML.replace(
  'roles:\n',
  'roles:\n  indexer: { permissions: [branch:read, index:complete] }\n',
);

describe('inbound NATS events are judged by the repository policy, as the bus identity (#13)', () => {
  const names = privateNames();
  let h: Harness;
  let funnel: IndexingStandIn | undefined;
  const ref = { repo: REPO.fullName, branch: 'bus-denied' };
  const records = async (action: string) =>
    (await h.bot.bot.freeze.queryAudit({ repo: REPO.fullName, action, limit: 50 })).records;

  beforeAll(async () => {
    h = await Harness.start({
      NATS_URL: SHARED_NATS,
      AEGIS_EVENTS_PREFIX: names.schemaChanged.split('.')[0],
      AEGIS_DEFAULT_REPO: REPO.fullName,
      AEGIS_EVENTS_IDENTITY: 'funnel-bus',
    });
    // The default branch's policy is the one that decides; this one narrows the indexer role.
    await h.repo.checkout('main');
    await h.repo.commit('narrow the indexer', { '.kiro/rbac.yaml': NARROW_INDEXER });
    funnel = await IndexingStandIn.start(SHARED_NATS, names);
  });
  afterAll(async () => {
    await funnel?.close();
    await h?.close();
    await deleteStream(SHARED_NATS, names);
  });

  it('refuses an event whose role lacks the permission, audits the denial, and parks the event', async () => {
    await funnel!.send('indexing.started', 'evt-bus-denied', {
      branch_name: ref.branch,
      indexing_id: 'idx-denied',
      actor: 'funnel-service',
    });
    await vi.waitFor(
      async () => expect((await records('event.parked')).map((r) => r.delivery)).toContain('evt-bus-denied'),
      {
        timeout: 30_000,
        interval: 100,
      },
    );
    const denials = (await records('rbac.denied')).filter((r) => r.delivery === 'evt-bus-denied');
    expect(denials).toEqual([
      expect.objectContaining({
        actor: 'funnel-bus',
        branch: ref.branch,
        resourceType: 'permission',
        resourceId: 'index:start',
      }),
    ]);
    expect(denials[0]?.reason).toContain('indexer');
    // Nothing happened to the branch: no lock, no state change, no indexing record.
    const state = await h.bot.bot.freeze.getBranchState(ref);
    expect(state.state).toBe('ACTIVE');
    expect(state.locks).toEqual([]);
    expect((await records('indexing.started')).filter((r) => r.delivery === 'evt-bus-denied')).toEqual([]);
    expect(h.fake.unexpected()).toEqual([]);
  });
});
