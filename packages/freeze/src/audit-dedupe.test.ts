import { describe, expect, it } from 'vitest';
import { parseAuditId } from './domain/audit-id.js';
import { uniqueRef, waitFor } from './test-support/backends.js';
import { BACKENDS, useFreeze } from './test-support/suite.js';
import type { AuditQuery } from './types.js';

describe.each(BACKENDS)('audit log and delivery dedupe on %s', (backend) => {
  const { freeze } = useFreeze(backend);

  it('appends structured records and queries them by branch, issue, action, actor and time, paged', async () => {
    const ref = uniqueRef('audit');
    const t0 = new Date('2026-01-01T00:00:00Z');
    for (let i = 0; i < 7; i++) {
      await freeze().appendAudit({
        ...ref,
        actor: i % 2 ? 'alice' : 'bob',
        action: i < 5 ? 'lock.acquired' : 'rbac.denied',
        issue: i < 3 ? '#1' : '#2',
        resourceType: 'schema',
        resourceId: `s${i}`,
        old: null,
        new: { i },
        reason: `r${i}`,
        delivery: `d${i}`,
        at: new Date(t0.getTime() + i * 60_000),
      });
    }
    const page1 = await freeze().queryAudit({ branch: ref.branch, limit: 3 });
    expect(page1.records.map((r) => r.resourceId)).toEqual(['s6', 's5', 's4']);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = await freeze().queryAudit({ branch: ref.branch, limit: 3, cursor: page1.nextCursor ?? '' });
    const page3 = await freeze().queryAudit({ branch: ref.branch, limit: 3, cursor: page2.nextCursor ?? '' });
    expect([...page2.records, ...page3.records].map((r) => r.resourceId)).toEqual(['s3', 's2', 's1', 's0']);
    expect(page3.nextCursor).toBeNull();
    const rec = page2.records[2];
    expect(rec).toMatchObject({
      at: '2026-01-01T00:01:00.000Z',
      actor: 'alice',
      issue: '#1',
      new: { i: 1 },
      old: null,
      reason: 'r1',
      delivery: 'd1',
    });
    expect(rec?.id).toMatch(
      new RegExp(`^audit-acme/registry:branch:${ref.branch}:lock\\.acquired:20260101T000100Z:[0-9a-f-]{36}$`),
    );
    expect(parseAuditId(rec?.id ?? '')?.action).toBe('lock.acquired');

    const ids = async (q: Omit<AuditQuery, 'branch'>): Promise<string[]> =>
      (await freeze().queryAudit({ branch: ref.branch, ...q })).records.map((r) => r.resourceId ?? '');
    expect(await ids({ issue: '#1' })).toEqual(['s2', 's1', 's0']);
    expect(await ids({ action: 'rbac.denied' })).toEqual(['s6', 's5']);
    expect(await ids({ actor: 'alice', issue: '#2' })).toEqual(['s5', 's3']);
    expect(
      await ids({ since: new Date(t0.getTime() + 2 * 60_000), until: new Date(t0.getTime() + 4 * 60_000) }),
    ).toEqual(['s3', 's2']);
    expect((await freeze().queryAudit({ branch: uniqueRef().branch })).records).toEqual([]);
  });

  it('audits every change the service makes with actor, issue and delivery', async () => {
    const ref = uniqueRef();
    const ctx = { actor: 'octocat', issue: '#42', delivery: 'gh-123' };
    const { lock } = await freeze().acquireLock(
      { ...ref, scope: 'BRANCH', holder: 'pr#1', reason: 'maintenance' },
      ctx,
    );
    await freeze().releaseLock(lock, ctx);
    const { records } = await freeze().queryAudit({ branch: ref.branch, issue: '#42' });
    expect(records.map((r) => [r.action, r.actor, r.delivery])).toEqual([
      ['lock.released', 'octocat', 'gh-123'],
      ['lock.acquired', 'octocat', 'gh-123'],
    ]);
    expect(records[1]?.new).toMatchObject({ id: lock.id, token: lock.token });
  });

  it('processes an event (id + commit) once within the TTL, again after it', async () => {
    const id = uniqueRef().branch;
    expect(await freeze().firstDelivery(id, 'c1', 1500)).toBe(true);
    expect(await freeze().firstDelivery(id, 'c1', 1500)).toBe(false);
    expect(await freeze().firstDelivery(id, 'c2', 1500)).toBe(true);
    await waitFor(() => freeze().firstDelivery(id, 'c1', 60_000), 2500);
    expect(await freeze().firstDelivery(id, 'c1', 60_000)).toBe(false);
  });
});
