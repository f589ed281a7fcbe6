import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAIN_START, chainHash } from './audit-chain.js';
import { InvalidRequestError } from './errors.js';
import { createPgDatabase, openTestPglite } from './test-support/backends.js';
import { PgClient } from './sql/pg-client.js';
import { SqlAuditLog } from './sql/sql-audit-log.js';
import type { SqlClient } from './sql/sql-client.js';
import type { AuditInput } from './types.js';

const entry = (i: number): AuditInput => ({
  repo: 'acme/registry',
  branch: 'main',
  actor: `user-${i}`,
  action: 'lock.acquired',
  // Keys out of order and nested: jsonb stores them in its own order, the chain must not care.
  new: { z: i, a: { y: [1, 'two', null], b: true }, m: 'ü' },
  reason: `reason ${i}`,
});

describe.each(['pglite', 'postgres'] as const)('the audit log on %s is append-only and hash-chained', (backend) => {
  let sql: SqlClient;
  let log: SqlAuditLog;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (backend === 'pglite') sql = await openTestPglite();
    else {
      const db = await createPgDatabase();
      drop = () => db.drop();
      sql = new PgClient({ connectionString: db.url });
      const { migrate } = await import('./sql/migrations.js');
      await migrate(sql);
    }
    log = new SqlAuditLog(sql);
  });
  afterAll(async () => {
    await sql.close();
    await drop?.();
  });

  it('chains concurrent appends into one line that verifies', async () => {
    await Promise.all(Array.from({ length: 12 }, (_, i) => log.append(entry(i))));
    const report = await log.verify();
    expect(report).toMatchObject({ ok: true, checked: 12, unchained: 0 });
    expect(report.head).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses UPDATE, DELETE and TRUNCATE with the app's own connection", async () => {
    for (const statement of [
      "UPDATE aegis_audit SET reason = 'nothing happened'",
      'DELETE FROM aegis_audit',
      'TRUNCATE aegis_audit',
    ]) {
      await expect(sql.query(statement), statement).rejects.toThrow(/append-only/);
    }
    expect((await log.verify()).checked).toBe(12);
  });

  it('finds a record changed or removed behind the triggers, naming the first broken one', async () => {
    const [third] = await sql.query<{ seq: string; id: string }>(
      'SELECT seq, id FROM aegis_audit ORDER BY seq OFFSET 2',
    );
    await sql.query('ALTER TABLE aegis_audit DISABLE TRIGGER USER');
    await sql.query("UPDATE aegis_audit SET reason = 'nothing happened' WHERE seq = $1", [third?.seq]);
    const changed = await log.verify();
    expect(changed).toMatchObject({ ok: false, checked: 2, broken: { seq: String(third?.seq), id: third?.id } });
    expect(changed.broken?.why).toMatch(/content does not match/);
    await sql.query('DELETE FROM aegis_audit WHERE seq = $1', [third?.seq]);
    await sql.query('ALTER TABLE aegis_audit ENABLE TRIGGER USER');
    expect((await log.verify()).broken?.why).toMatch(/does not link to the record before it/);
  });

  it('answers a malformed date or a giant branch name as a bad request, not a server error', async () => {
    await expect(log.query({ since: new Date('not-a-date') })).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(log.append({ ...entry(0), branch: 'b'.repeat(900_000) })).rejects.toBeInstanceOf(InvalidRequestError);
  });
});

describe('audit client fields (migration 6, seed 004 ip_address / user_agent)', () => {
  // A record as the log wrote it before migration 6, and the hash that code gave it (computed then).
  const before = {
    id: 'audit-acme/registry:branch:main:indexing.started:20250626T100000Z:1b4e28ba-2fa1-11d2-883f-0016d3cca427',
    at: '2025-06-26T10:00:00.000Z',
    repo: 'acme/registry',
    branch: 'main',
    actor: 'funnel-service',
    issue: '#12',
    action: 'indexing.started',
    resourceType: null,
    resourceId: null,
    old: { state: 'ACTIVE' },
    new: { state: 'LOCKED_FOR_WRITE' },
    reason: 'indexing by funnel-service',
    delivery: 'evt-1',
  };
  const OLD_HASH = 'fbf3257a889600ef980a568ef95190a13b1e46720ea783b710adaf1c154af8f4';

  it('an older row keeps its hash; the client fields count once set', () => {
    const now = { ...before, ipAddress: null, userAgent: null };
    expect(chainHash(CHAIN_START, now)).toBe(OLD_HASH);
    expect(chainHash(CHAIN_START, { ...now, ipAddress: '10.0.0.7' })).not.toBe(OLD_HASH);
    expect(chainHash(CHAIN_START, { ...now, userAgent: 'funnel/2.1' })).not.toBe(OLD_HASH);
  });

  it('rows written before the columns existed still verify beside rows that carry them', async () => {
    const sql = await openTestPglite();
    try {
      await sql.query(
        `INSERT INTO aegis_audit (id, at, repo, branch, actor, issue, action, resource_type, resource_id, old, new, reason, delivery, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL, $8::jsonb, $9::jsonb, $10, $11, $12, $13)`,
        [
          before.id,
          before.at,
          before.repo,
          before.branch,
          before.actor,
          before.issue,
          before.action,
          JSON.stringify(before.old),
          JSON.stringify(before.new),
          before.reason,
          before.delivery,
          CHAIN_START,
          OLD_HASH,
        ],
      );
      const log = new SqlAuditLog(sql);
      const rec = await log.append({ ...entry(1), ipAddress: '10.0.0.7', userAgent: 'funnel/2.1' });
      expect(rec).toMatchObject({ ipAddress: '10.0.0.7', userAgent: 'funnel/2.1' });
      expect(await log.verify()).toMatchObject({ ok: true, checked: 2 });
      const { records } = await log.query({});
      expect(records.map((r) => [r.ipAddress, r.userAgent])).toEqual([
        ['10.0.0.7', 'funnel/2.1'],
        [null, null],
      ]);
    } finally {
      await sql.close();
    }
  });
});
