import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuditLog } from './audit-log.js';
import { StoreUnavailableError } from './errors.js';
import { FreezeService } from './freeze-service.js';
import { uniqueRef } from './test-support/backends.js';
import { BACKENDS, admin, dev, funnel, useFreeze } from './test-support/suite.js';

type Ref = { repo: string; branch: string };

async function built(freeze: FreezeService, ref: Ref): Promise<string> {
  const start = { ...ref, indexType: 'search', resourceTypes: ['schema'], treeHash: 't' };
  const { shadow } = await freeze.shadow.start(start, funnel);
  await freeze.shadow.complete(shadow.id, { recordCount: 10, sizeBytes: 100 }, funnel);
  return shadow.id;
}

/** An audit log that cannot be reached: records stay where the state store queued them. */
function away(log: AuditLog): AuditLog {
  const down = (): Promise<never> => Promise.reject(new StoreUnavailableError('audit log away'));
  return { ...log, append: down, appendRecord: down, query: (q) => log.query(q), verify: () => log.verify() };
}

const SQL_BACKENDS = BACKENDS.filter((b) => b !== 'redis');

/** Issue 14 item 5: a switch's pointer swap and its record are one step on every backend — SQL: one transaction. */
describe.each(SQL_BACKENDS)('a shadow switch and its record commit together on %s', (backend) => {
  const { freeze, stores } = useFreeze(backend);

  /** Runs `act` while the SQL audit table refuses records of `action` (as a failing insert would). */
  async function refusing<T>(action: string, act: () => Promise<T>): Promise<T> {
    const sql = stores().sql;
    if (!sql) throw new Error('not an SQL backend');
    const name = `refuse_${randomBytes(4).toString('hex')}`;
    await sql.query(`ALTER TABLE aegis_audit ADD CONSTRAINT ${name} CHECK (action <> '${action}')`);
    try {
      return await act();
    } finally {
      await sql.query(`ALTER TABLE aegis_audit DROP CONSTRAINT ${name}`);
    }
  }

  it('a refused shadow.switched or shadow.rolled-back record leaves the pointer unswapped', async () => {
    const ref = uniqueRef('switch-audit');
    const first = await built(freeze(), ref);
    await refusing('shadow.switched', async () => {
      await expect(freeze().shadow.switch(first, { currentTreeHash: 't' }, dev)).rejects.toThrow(/refuse/);
    });
    expect((await freeze().shadow.pointer(ref, 'search')).active).toBeNull();
    expect((await freeze().shadow.status(first)).state).toBe('BUILT');
    expect((await freeze().getBranchState(ref)).locks).toEqual([]);
    expect(await freeze().shadow.switch(first, { currentTreeHash: 't' }, dev)).toMatchObject({ switched: true });

    const second = await built(freeze(), ref);
    await freeze().shadow.switch(second, { currentTreeHash: 't' }, dev);
    await refusing('shadow.rolled-back', async () => {
      await expect(freeze().shadow.rollback(ref, 'search', admin)).rejects.toThrow(/refuse/);
    });
    expect((await freeze().shadow.pointer(ref, 'search')).active).toBe(second);
    expect((await freeze().shadow.status(second)).state).toBe('ACTIVE');
    const back = await freeze().shadow.rollback(ref, 'search', admin);
    expect(back.pointer.active).toBe(first);
    const records = (await freeze().queryAudit({ ...ref, limit: 50 })).records.reverse();
    expect(
      records.filter((r) => r.action !== 'shadow.started' && r.action !== 'shadow.completed').map((r) => r.action),
    ).toEqual(['shadow.switched', 'shadow.switched', 'shadow.rolled-back']);
  });
});

/** Redis: the swap's script queues the record in the outbox. */
describe('a shadow switch and its record commit together on redis', () => {
  const { freeze, stores } = useFreeze('redis');

  it('the records of a switch, its automatic rollback and a rollback are in the outbox with the swaps, written once', async () => {
    const ref = uniqueRef('switch-outbox');
    const first = await built(freeze(), ref);
    // From here on the audit log is away: every record waits in the outbox, where the swap's script put it.
    const down = new FreezeService(stores().state, away(stores().audit));
    const one = await down.shadow.switch(first, { currentTreeHash: 't' }, dev);
    expect(one).toMatchObject({ switched: true, auditPending: true });
    const probe = async (): Promise<{ accessible: boolean; detail: string }> => ({
      accessible: false,
      detail: '503',
    });
    const two = await down.shadow.switch(await built(down, ref), { currentTreeHash: 't', probe }, dev);
    expect(two).toMatchObject({ switched: false, rolledBack: true, auditPending: true });
    const three = await down.shadow.switch(await built(down, ref), { currentTreeHash: 't' }, dev);
    const back = await down.shadow.rollback(ref, 'search', admin);
    expect([three.switched, back.pointer.active]).toEqual([true, first]);

    const written = [one, two, three, back].flatMap((o) => o.audit);
    expect(written.map((r) => r.action)).toEqual([
      'shadow.switched',
      'shadow.switched',
      'shadow.switch-rolled-back',
      'shadow.switched',
      'shadow.rolled-back',
    ]);
    const queued = (await stores().state.outbox?.peek(100)) ?? [];
    const switches = queued.filter((q) => !['shadow.started', 'shadow.completed'].includes(q.record.action));
    expect(switches.map((q) => q.record.id)).toEqual(written.map((r) => r.id));
    expect(await freeze().reconcileAudit()).toEqual({ written: queued.length, skipped: 0, parked: 0 });
    expect(await freeze().reconcileAudit()).toEqual({ written: 0, skipped: 0, parked: 0 });
    const rows = (await freeze().queryAudit({ ...ref, limit: 50 })).records;
    for (const r of written) expect(rows.filter((row) => row.id === r.id)).toHaveLength(1);
  });
});
