import { describe, expect, it } from 'vitest';
import type { InboundData } from '@aegis/events';
import { runAegis } from '../helpers/run-aegis.js';
import { subscribeOnce } from './subscribe-once.js';
import { inbound } from './bus-harness.js';
import { SHARED_NATS } from './nats-support.js';
import { useBusHarness } from './use-bus-harness.js';

const startBus = useBusHarness();

describe('inbound events over the durable queue-group consumer', () => {
  it('two replicas in one queue group handle each event exactly once between them', async () => {
    const h = await startBus();
    const handled = new Map<string, string[]>();
    const handler = (replica: string) => async (_data: InboundData, ctx: { event: { id: string } }) => {
      handled.set(ctx.event.id, [...(handled.get(ctx.event.id) ?? []), replica]);
    };
    await h.replica('bot-a', { 'indexing.started': handler('bot-a') });
    await h.replica('bot-b', { 'indexing.started': handler('bot-b') });
    const ids = Array.from({ length: 40 }, (_, i) => `start-${i}`);
    for (const id of ids) await h.send('indexing.started', inbound('indexing.started', { indexing_id: id }, id));
    await h.outcomes.until(() => h.outcomes.count('handled') >= ids.length, '40 handled events');
    expect([...handled.keys()].sort()).toEqual([...ids].sort());
    expect([...handled.values()].every((replicas) => replicas.length === 1)).toBe(true);
    const byReplica = new Set([...handled.values()].flat());
    expect(byReplica).toEqual(new Set(['bot-a', 'bot-b']));
  });

  it('handles a duplicated event once (same id and commit), and the same id on another commit again', async () => {
    const h = await startBus();
    const calls: string[] = [];
    await h.replica('bot-a', { 'indexing.completed': async (data) => void calls.push(String(data.commit)) });
    const c1 = 'a'.repeat(40);
    const c2 = 'b'.repeat(40);
    await h.send('indexing.completed', inbound('indexing.completed', { commit: c1 }, 'dup-1'));
    await h.send('indexing.completed', inbound('indexing.completed', { commit: c1 }, 'dup-1'));
    await h.send('indexing.completed', inbound('indexing.completed', { commit: c2 }, 'dup-1'));
    await h.outcomes.until(() => h.outcomes.seen.length >= 3, 'three outcomes');
    expect(calls).toEqual([c1, c2]);
    expect(h.outcomes.count('duplicate')).toBe(1);
  });

  it('acknowledges, audits and reports malformed events, never crashing or retrying them', async () => {
    const h = await startBus();
    const calls: string[] = [];
    await h.replica('bot-a', { 'indexing.failed': async (data) => void calls.push(String(data.indexing_id)) });
    const reports = subscribeOnce(h.nc, h.names.rejected, 3);
    await h.send('indexing.failed', new Uint8Array([0xff, 0x00, 0x7b]));
    await h.send('indexing.failed', inbound('indexing.failed', { repository: 'not a repo' }, 'bad-repo'));
    await h.send('indexing.failed', { id: 'no-data', source: 'funnel-service', type: 'com.aegis.indexing.failed' });
    await h.send('indexing.failed', inbound('indexing.failed', { indexing_id: 'fine' }));
    await h.outcomes.until(() => h.outcomes.seen.length >= 4, 'four outcomes');
    expect(h.outcomes.seen.map((s) => s.outcome)).toEqual(['rejected', 'rejected', 'rejected', 'handled']);
    expect(h.outcomes.seen.every((s) => s.attempt === 1)).toBe(true);
    expect(calls).toEqual(['fine']);
    const audit = await h.freezes[0]!.queryAudit({ action: 'event.rejected' });
    expect(audit.records).toHaveLength(3);
    expect(audit.records.map((r) => r.delivery)).toEqual(expect.arrayContaining(['bad-repo', 'no-data']));
    const reported = (await reports).map((m) => JSON.parse(m) as { data: { reason: string } });
    expect(reported.map((r) => r.data.reason).join('\n')).toMatch(/not UTF-8 JSON/);
  });

  it('retries a failing handler with backoff, then parks the event for an admin', async () => {
    const h = await startBus();
    let flaky = 0;
    let fixed = false;
    await h.replica('bot-a', {
      'shadow.progress': async () => {
        if (++flaky < 3) throw new Error(`store hiccup ${flaky}`);
      },
      'shadow.cancelled': async () => {
        if (!fixed) throw new Error('shadow shadow-1 not found');
      },
    });
    await h.send('shadow.progress', inbound('shadow.progress', {}, 'flaky'));
    await h.send('shadow.cancelled', inbound('shadow.cancelled', {}, 'doomed'));
    await h.outcomes.until(
      () =>
        h.outcomes.seen.some((s) => s.id === 'flaky' && s.outcome === 'handled') && h.outcomes.count('parked') === 1,
      'flaky handled and doomed parked',
    );
    expect(h.outcomes.seen.filter((s) => s.id === 'flaky').map((s) => [s.outcome, s.attempt])).toEqual([
      ['retry', 1],
      ['retry', 2],
      ['handled', 3],
    ]);
    expect(h.outcomes.seen.filter((s) => s.id === 'doomed').map((s) => [s.outcome, s.attempt])).toEqual([
      ['retry', 1],
      ['retry', 2],
      ['parked', 3],
    ]);
    const parked = await h.replicas[0]!.parked();
    expect(parked).toEqual([
      expect.objectContaining({
        eventId: 'doomed',
        error: 'shadow shadow-1 not found',
        attempts: 3,
        subject: h.names.inbound['shadow.cancelled'],
      }),
    ]);
    const audit = await h.freezes[0]!.queryAudit({ action: 'event.parked' });
    expect(audit.records).toEqual([
      expect.objectContaining({ repo: 'acme/registry', branch: 'main', delivery: 'doomed' }),
    ]);

    // The admin fixes the cause, lists the parked event and replays it (the built CLI): handled once, unparked.
    fixed = true;
    const env = { DATABASE_URL: h.db.url, NATS_URL: SHARED_NATS };
    const listed = await runAegis(['events', 'parked', '--format', 'json'], process.cwd(), env);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ id: parked[0]!.id, eventId: 'doomed' })]);
    const replayed = await runAegis(['events', 'replay', String(parked[0]!.id)], process.cwd(), env);
    expect(replayed.code).toBe(0);
    await h.outcomes.until(
      () => h.outcomes.seen.some((s) => s.id === 'doomed' && s.outcome === 'handled'),
      'the replay handled',
    );
    expect(await h.replicas[0]!.parked()).toEqual([]);
    expect((await runAegis(['events', 'replay', String(parked[0]!.id)], process.cwd(), env)).code).toBe(1);
  });
});
