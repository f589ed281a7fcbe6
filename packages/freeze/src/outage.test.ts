import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from './errors.js';
import { FreezeService } from './freeze-service.js';
import { openStores, type Stores } from './open-stores.js';
import { openStoresBehindPgProxy, type StoresBehindPgProxy, waitFor } from './test-support/backends.js';
import { freePort, startRedisServer, stop } from './test-support/services.js';

const ref = { repo: 'acme/registry', branch: 'main' };
const ctx = { actor: 'dev' };
const lockUsers = {
  ...ref,
  scope: 'RESOURCE' as const,
  resourceType: 'schema',
  resourceId: 'users',
  holder: 'pr#1',
  reason: 'edit',
};

/** Runs `op` and returns its error and how long it took to fail. */
async function failure(op: () => Promise<unknown>): Promise<{ err: unknown; ms: number }> {
  const t0 = Date.now();
  const err = await op().then(
    () => undefined,
    (e: unknown) => e,
  );
  return { err, ms: Date.now() - t0 };
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
beforeAll(() => void process.on('unhandledRejection', onUnhandled));
afterAll(() => void process.off('unhandledRejection', onUnhandled));
afterEach(() => expect(unhandled).toEqual([]));

describe('an unreachable Redis', () => {
  let server: ChildProcess | undefined;
  let stores: Stores | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'aegis-outage-'));
  afterAll(async () => {
    await stores?.close();
    if (server) await stop(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails fast with StoreUnavailableError (callers fail closed) and recovers when the server returns', async () => {
    const port = await freePort();
    server = await startRedisServer(port);
    stores = await openStores({ redisUrl: `redis://127.0.0.1:${port}`, dataDir: dir, timeoutMs: 500 });
    const freeze = new FreezeService(stores.state, stores.audit);
    await freeze.acquireLock(lockUsers, ctx);

    await stop(server);
    for (const op of [
      () => freeze.checkWrite(ref, ['schema:users']),
      () => freeze.acquireLock(lockUsers, ctx),
      () => freeze.firstDelivery('e', 'c'),
    ]) {
      const { err, ms } = await failure(op);
      expect(err).toBeInstanceOf(StoreUnavailableError);
      expect(ms).toBeLessThan(3000);
    }

    server = await startRedisServer(port);
    // The client reconnects by itself; the restarted server is empty (no persistence), so writes are allowed.
    await waitFor(
      async () => (await freeze.checkWrite(ref, ['schema:users']).catch(() => ({ allowed: false }))).allowed,
      10_000,
    );
    const again = await freeze.acquireLock(lockUsers, ctx);
    expect(again.lock.token).toBe(1);
  });

  it('refuses to open when Redis is not there, quickly', async () => {
    const port = await freePort();
    // Its own directory: the stores above still hold `dir` (one PGlite per directory, data-dir-lock.ts).
    const { err, ms } = await failure(() =>
      openStores({ redisUrl: `redis://127.0.0.1:${port}`, dataDir: join(dir, 'second'), timeoutMs: 500 }),
    );
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect(ms).toBeLessThan(3000);
  });
});

describe('an unreachable PostgreSQL', () => {
  let behindProxy: StoresBehindPgProxy | undefined;
  afterAll(() => behindProxy?.close());

  it('fails fast with StoreUnavailableError and recovers when the connection returns', async () => {
    behindProxy = await openStoresBehindPgProxy({ timeoutMs: 500 });
    const { stores, proxy } = behindProxy;
    const freeze = new FreezeService(stores.state, stores.audit);
    const { lock } = await freeze.acquireLock(lockUsers, ctx);

    await proxy.cut();
    for (const op of [
      () => freeze.checkWrite(ref, ['schema:users']),
      () => freeze.releaseLock(lock, ctx),
      () => freeze.queryAudit({}),
    ]) {
      const { err, ms } = await failure(op);
      expect(err).toBeInstanceOf(StoreUnavailableError);
      expect(ms).toBeLessThan(3000);
    }

    await proxy.start();
    await waitFor(
      async () => (await freeze.checkWrite(ref, ['schema:users']).catch(() => undefined)) !== undefined,
      10_000,
    );
    // The lock taken before the outage is still there (PostgreSQL kept it); its holder can release it now.
    expect((await freeze.checkWrite(ref, ['schema:users'])).allowed).toBe(false);
    await freeze.releaseLock(lock, ctx);
    expect((await freeze.checkWrite(ref, ['schema:users'])).allowed).toBe(true);
  });

  it('refuses to open when PostgreSQL is not there, quickly', async () => {
    const port = await freePort();
    const { err, ms } = await failure(() =>
      openStores({ databaseUrl: `postgres://postgres@127.0.0.1:${port}/none`, timeoutMs: 500 }),
    );
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect(ms).toBeLessThan(3000);
  });
});
