import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditLog } from './audit-log.js';
import { newAuditRecord } from './audit-record.js';
import { AuditReconciler } from './audit-reconciler.js';
import { StoreUnavailableError } from './errors.js';
import { FreezeService } from './freeze-service.js';
import { connectRedis } from './redis/redis-connection.js';
import { RedisStateStore } from './redis/redis-state-store.js';
import type { PgliteClient } from './sql/pglite-client.js';
import { SqlAuditLog } from './sql/sql-audit-log.js';
import { deletePrefix, openTestPglite, REDIS_URL, uniqueRef } from './test-support/backends.js';
import type { AuditInput, AuditRecord } from './types.js';

/** An audit log that can be made unreachable (as PostgreSQL behind a cut connection is). */
class SwitchableAuditLog implements AuditLog {
  down = false;
  appended = 0;
  constructor(private readonly inner: AuditLog) {}
  private gate(): void {
    if (this.down) throw new StoreUnavailableError('PostgreSQL unavailable: connect ECONNREFUSED');
  }
  async append(input: AuditInput): Promise<AuditRecord> {
    this.gate();
    return this.inner.append(input);
  }
  async appendRecord(record: AuditRecord): Promise<boolean> {
    this.gate();
    this.appended += 1;
    return this.inner.appendRecord(record);
  }
  query: AuditLog['query'] = (q) => (this.gate(), this.inner.query(q));
  verify: AuditLog['verify'] = () => this.inner.verify();
  close: AuditLog['close'] = () => this.inner.close();
}

const admin = { actor: 'root', issue: '#7' };

describe('the audit outbox on Redis, drained by the reconciler', () => {
  const prefix = `aegis-outbox-test:${randomBytes(4).toString('hex')}:`;
  let redis: Redis;
  let sql: PgliteClient;
  let store: RedisStateStore;
  let audit: SwitchableAuditLog;
  let freeze: FreezeService;
  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL);
    sql = await openTestPglite();
    store = new RedisStateStore(redis, prefix, false);
    audit = new SwitchableAuditLog(new SqlAuditLog(sql));
    freeze = new FreezeService(store, audit);
  });
  afterAll(async () => {
    redis.disconnect();
    await sql.close();
    await deletePrefix(REDIS_URL, prefix);
  });

  const ids = async (action: string): Promise<string[]> =>
    (await new SqlAuditLog(sql).query({ action, limit: 500 })).records.map((r) => r.id);

  it('queues a change’s record in the same script as the change, with the lock the script stored', async () => {
    const ref = uniqueRef('queued');
    audit.down = true;
    const out = await freeze.acquireLock({ ...ref, scope: 'BRANCH', holder: 'ci', reason: 'reindex' }, admin);
    audit.down = false;
    expect(out.auditPending).toBe(true);
    const [queued] = await store.outbox.peek(10);
    expect(queued?.record).toEqual(out.audit[0]);
    // The record names the very lock Redis holds: same token and expiry, known before the script ran.
    const held = (await freeze.getBranchState(ref)).locks[0];
    expect(queued?.record.new).toEqual(JSON.parse(JSON.stringify(held)));
    await freeze.reconcileAudit();
    expect(await ids('lock.acquired')).toEqual([out.audit[0]?.id]);
  });

  it('writes a record once however often it is drained: a crash after the append, two reconcilers at once', async () => {
    const ref = uniqueRef('twice');
    const records = [1, 2, 3].map((n) =>
      newAuditRecord({ ...ref, actor: 'root', action: `test.twice-${n}`, reason: String(n) }),
    );
    await store.outbox.enqueue(records);
    // The first record reached the log but its entry was never removed (the process died in between).
    await new SqlAuditLog(sql).appendRecord(records[0] as AuditRecord);
    const other = new AuditReconciler(store.outbox, audit);
    const [a, b] = await Promise.all([freeze.reconcileAudit(), other.drain()]);
    expect(a.written + b.written).toBe(2);
    expect(a.skipped + b.skipped).toBeGreaterThanOrEqual(1);
    for (const n of [1, 2, 3]) expect(await ids(`test.twice-${n}`)).toHaveLength(1);
    expect(await store.outbox.size()).toBe(0);
    expect((await new SqlAuditLog(sql).verify()).ok).toBe(true);
  });

  it('keeps the records while the audit log is away, and writes them in order when it is back', async () => {
    const ref = uniqueRef('away');
    audit.down = true;
    const lock = await freeze.acquireLock({ ...ref, scope: 'BRANCH', holder: 'ci', reason: 'r' }, admin);
    const forced = await freeze.forceUnlock(ref, 'stuck', admin);
    const started = await freeze.lockForIndexing({ ...ref, holder: 'indexer' }, admin);
    expect([lock, forced, started].map((o) => o.auditPending)).toEqual([true, true, true]);
    await expect(freeze.reconcileAudit()).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await store.outbox.size()).toBe(3);
    audit.down = false;
    expect(await freeze.reconcileAudit()).toEqual({ written: 3, skipped: 0, parked: 0 });
    const page = await new SqlAuditLog(sql).query({ ...ref, limit: 10 });
    expect(page.records.map((r) => r.action).reverse()).toEqual([
      'lock.acquired',
      'branch.force-unlock',
      'indexing.started',
    ]);
    expect(await freeze.reconcileAudit()).toEqual({ written: 0, skipped: 0, parked: 0 });
  });

  it('parks a record the log refuses for good, so the records behind it still get written', async () => {
    const ref = uniqueRef('parked');
    const bad = newAuditRecord({ ...ref, actor: 'root', action: 'test.bad' });
    const good = newAuditRecord({ ...ref, actor: 'root', action: 'test.good' });
    await store.outbox.enqueue([{ ...bad, branch: '' }, good]);
    expect(await freeze.reconcileAudit()).toEqual({ written: 1, skipped: 0, parked: 1 });
    expect(await ids('test.good')).toEqual([good.id]);
    const parked = await redis.xrange(`${prefix}audit-outbox:parked`, '-', '+');
    expect(parked).toHaveLength(1);
    expect(parked[0]?.[1]).toContain('record');
  });

  it('takes turns: a drain asked for during another also writes what was queued after that one read', async () => {
    const ref = uniqueRef('turns');
    const first = newAuditRecord({ ...ref, actor: 'root', action: 'test.turn-1' });
    const second = newAuditRecord({ ...ref, actor: 'root', action: 'test.turn-2' });
    await store.outbox.enqueue([first]);
    const running = freeze.reconcileAudit();
    await store.outbox.enqueue([second]);
    const after = freeze.reconcileAudit();
    await Promise.all([running, after]);
    expect(await ids('test.turn-1')).toHaveLength(1);
    expect(await ids('test.turn-2')).toHaveLength(1);
    expect(await store.outbox.size()).toBe(0);
  });

  it('drains on start and then periodically until stopped', async () => {
    const ref = uniqueRef('periodic');
    audit.down = true;
    await freeze.acquireLock({ ...ref, scope: 'BRANCH', holder: 'ci', reason: 'r' }, admin);
    const errors: unknown[] = [];
    const reconciler = new AuditReconciler(store.outbox, audit);
    reconciler.start(100, (e) => errors.push(e));
    await expect.poll(() => errors.length, { timeout: 5000 }).toBeGreaterThan(0);
    expect(errors[0]).toBeInstanceOf(StoreUnavailableError);
    audit.down = false;
    await expect.poll(() => store.outbox.size(), { timeout: 5000 }).toBe(0);
    await reconciler.stop();
    expect((await new SqlAuditLog(sql).query({ ...ref })).records.map((r) => r.action)).toEqual(['lock.acquired']);
  });
});
