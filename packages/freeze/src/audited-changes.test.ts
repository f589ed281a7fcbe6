import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from './errors.js';
import { FreezeService } from './freeze-service.js';
import type { PgliteClient } from './sql/pglite-client.js';
import { SqlAuditLog } from './sql/sql-audit-log.js';
import { SqlStateStore } from './sql/sql-state-store.js';
import {
  deletePrefix,
  openStoresBehindPgProxy,
  openTestPglite,
  REDIS_URL,
  type StoresBehindPgProxy,
} from './test-support/backends.js';

const ref = { repo: 'acme/registry', branch: 'main' };
const admin = { actor: 'root', issue: '#7' };
const branchLock = { ...ref, scope: 'BRANCH' as const, holder: 'ci', reason: 'reindex' };

/** A freeze service on a fresh PGlite (state and audit in one database), closed after `run`. */
async function onPglite(run: (freeze: FreezeService, sql: PgliteClient) => Promise<void>): Promise<void> {
  const sql = await openTestPglite();
  try {
    await run(new FreezeService(new SqlStateStore(sql), new SqlAuditLog(sql)), sql);
  } finally {
    await sql.close();
  }
}

describe('a change and its audit record commit together', () => {
  it('on SQL, an audit insert that fails rolls the change back: nothing changed, nothing claimed', async () => {
    await onPglite(async (freeze, sql) => {
      await freeze.acquireLock(branchLock, admin);
      // The audit table refuses this one record (as a full disk or a dropped connection would).
      await sql.query("ALTER TABLE aegis_audit ADD CONSTRAINT refuse CHECK (action <> 'branch.force-unlock')");
      await expect(freeze.forceUnlock(ref, 'stuck', admin)).rejects.toThrow(/refuse/);
      expect((await freeze.getBranchState(ref)).locks).toHaveLength(1);
      await sql.query('ALTER TABLE aegis_audit DROP CONSTRAINT refuse');
      const done = await freeze.forceUnlock(ref, 'stuck', admin);
      expect(done.audit.map((r) => r.action)).toEqual(['branch.force-unlock']);
      expect((await freeze.getBranchState(ref)).locks).toEqual([]);
      expect((await freeze.queryAudit({ action: 'branch.force-unlock' })).records).toHaveLength(1);
    });
  });

  it('on SQL, a shadow build and its records commit together: a refused record leaves no build and no move', async () => {
    const start = { ...ref, indexType: 'search', resourceTypes: ['schema'], treeHash: 'a'.repeat(40) };
    await onPglite(async (freeze, sql) => {
      await sql.query("ALTER TABLE aegis_audit ADD CONSTRAINT refuse CHECK (action <> 'shadow.started')");
      await expect(freeze.shadow.start(start, admin)).rejects.toThrow(/refuse/);
      expect(await freeze.shadow.list({ ...ref })).toEqual([]);
      await sql.query('ALTER TABLE aegis_audit DROP CONSTRAINT refuse');
      const { shadow } = await freeze.shadow.start(start, admin);
      await sql.query("ALTER TABLE aegis_audit ADD CONSTRAINT refuse CHECK (action <> 'shadow.completed')");
      await expect(freeze.shadow.complete(shadow.id, { recordCount: 10, sizeBytes: 100 }, admin)).rejects.toThrow(
        /refuse/,
      );
      expect((await freeze.shadow.status(shadow.id)).state).toBe('PREPARING');
      await sql.query('ALTER TABLE aegis_audit DROP CONSTRAINT refuse');
      await freeze.shadow.complete(shadow.id, { recordCount: 10, sizeBytes: 100 }, admin);
      await sql.query("ALTER TABLE aegis_audit ADD CONSTRAINT refuse CHECK (action <> 'shadow.failed')");
      await expect(freeze.shadow.fail(shadow.id, 'disk full', admin)).rejects.toThrow(/refuse/);
      expect((await freeze.shadow.status(shadow.id)).state).toBe('BUILT');
      await sql.query('ALTER TABLE aegis_audit DROP CONSTRAINT refuse');
      const actions = (await freeze.queryAudit({ ...ref })).records.map((r) => r.action);
      expect(actions).toEqual(['shadow.completed', 'shadow.started']);
    });
  });

  it('on SQL, archiving a branch and its record commit together', async () => {
    await onPglite(async (freeze, sql) => {
      await freeze.acquireLock(branchLock, admin);
      await sql.query("ALTER TABLE aegis_audit ADD CONSTRAINT refuse CHECK (action <> 'branch.archived')");
      await expect(freeze.archiveBranch(ref, 'deleted', admin)).rejects.toThrow(/refuse/);
      expect(await freeze.getBranchState(ref)).toMatchObject({ state: 'ACTIVE', locks: [{ holder: 'ci' }] });
      await sql.query('ALTER TABLE aegis_audit DROP CONSTRAINT refuse');
      expect((await freeze.archiveBranch(ref, 'deleted', admin)).archived).toBe(true);
      expect((await freeze.queryAudit({ action: 'branch.archived' })).records).toHaveLength(1);
    });
  });

  describe('with state in Redis and audit in PostgreSQL behind a cuttable proxy', () => {
    const redisPrefix = `aegis-audited-${randomBytes(4).toString('hex')}:`;
    let behindProxy: StoresBehindPgProxy | undefined;
    afterAll(async () => {
      try {
        await behindProxy?.close();
      } finally {
        await deletePrefix(REDIS_URL, redisPrefix);
      }
    });

    it('makes force-unlock, lock and indexing start while PostgreSQL is away, and writes their records once it is back', async () => {
      behindProxy = await openStoresBehindPgProxy({ redisUrl: REDIS_URL, redisPrefix, timeoutMs: 500 });
      const { stores, proxy } = behindProxy;
      const freeze = new FreezeService(stores.state, stores.audit);
      await freeze.acquireLock(branchLock, admin);

      await proxy.cut();
      const forced = await freeze.forceUnlock(ref, 'stuck', admin);
      const locked = await freeze.acquireLock(
        { ...branchLock, scope: 'RESOURCE', resourceType: 'schema', resourceId: 'x' },
        admin,
      );
      await freeze.releaseLock(locked.lock, admin);
      const started = await freeze.lockForIndexing({ ...ref, holder: 'indexer' }, admin);
      const build = { ...ref, indexType: 'search', resourceTypes: ['schema'], treeHash: 'a'.repeat(40) };
      const { shadow } = await freeze.shadow.start(build, admin);
      await freeze.shadow.complete(shadow.id, { recordCount: 10, sizeBytes: 100 }, admin);
      // Each change stands and says its record waits; Redis holds the records.
      expect([forced.released.length, forced.auditPending, locked.auditPending, started.auditPending]).toEqual([
        1,
        true,
        true,
        true,
      ]);
      const status = await freeze.getBranchState(ref);
      expect([status.state, status.locks.map((l) => l.holder)]).toEqual(['LOCKED_FOR_WRITE', ['indexer']]);
      await expect(freeze.reconcileAudit()).rejects.toBeInstanceOf(StoreUnavailableError);

      await proxy.start();
      expect(await freeze.reconcileAudit()).toEqual({ written: 6, skipped: 0, parked: 0 });
      const rows = await freeze.queryAudit({ ...ref, limit: 50 });
      expect(rows.records.map((r) => r.action).reverse()).toEqual([
        'lock.acquired',
        'branch.force-unlock',
        'lock.acquired',
        'lock.released',
        'indexing.started',
        'shadow.started',
        'shadow.completed',
      ]);
      const written = [forced, locked, started].flatMap((o) => o.audit.map((r) => r.id));
      for (const id of written) expect(rows.records.filter((r) => r.id === id)).toHaveLength(1);
      expect((await stores.audit.verify()).ok).toBe(true);
    });
  });
});
