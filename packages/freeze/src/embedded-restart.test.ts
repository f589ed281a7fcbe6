import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FreezeService } from './freeze-service.js';
import { openStores } from './open-stores.js';
import { openTestPglite } from './test-support/backends.js';
import { runWorker } from './test-support/spawn-worker.js';
import type { Lock } from './types.js';

describe('the embedded store (PGlite data directory)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'aegis-embedded-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps locks, states and audit across a process restart', async () => {
    const ref = { repo: 'acme/registry', branch: 'main' };
    // The directory holds a migrated cluster (seeded from the test template: initdb is not what is tested);
    // another process opens it, writes and exits.
    await (await openTestPglite(dataDir)).close();
    const { lock } = await runWorker<{ lock: Lock }>('embedded', { dataDir, ...ref });

    const stores = await openStores({ dataDir });
    try {
      const freeze = new FreezeService(stores.state, stores.audit);
      expect(stores.kind).toEqual({ state: 'pglite', audit: 'pglite' });
      const blocked = await freeze.checkWrite(ref, ['schema:users']);
      expect(blocked).toMatchObject({ allowed: false, blocked: [{ id: lock.id, token: lock.token, holder: 'pr#1' }] });
      const indexing = await freeze.getBranchState({ ...ref, branch: 'main-indexing' });
      expect(indexing).toMatchObject({ state: 'LOCKED_FOR_WRITE', locks: [{ kind: 'INDEXING', holder: 'funnel' }] });
      const audit = await freeze.queryAudit({ issue: '#5' });
      expect(audit.records.map((r) => r.action).sort()).toEqual(['indexing.started', 'lock.acquired']);
      // The restarted process can act on what it found: the holder's token still releases the lock.
      await freeze.releaseLock(lock, { actor: 'pr#1' });
      expect((await freeze.checkWrite(ref, ['schema:users'])).allowed).toBe(true);
    } finally {
      await stores.close();
    }
  });
});
