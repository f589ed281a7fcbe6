import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirInUseError } from '../errors.js';
import { DATA_DIR_LOCK, lockDataDir } from './data-dir-lock.js';
import { PgliteClient } from './pglite-client.js';

describe('lockDataDir: one process per PGlite data directory', () => {
  const root = mkdtempSync(join(tmpdir(), 'aegis-dirlock-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('refuses a second open naming the holder, and frees the directory on close', async () => {
    const dir = join(root, 'db');
    const first = await PgliteClient.open(dir);
    const owner = JSON.parse(readFileSync(join(dir, DATA_DIR_LOCK), 'utf8')) as { pid: number };
    expect(owner.pid).toBe(process.pid);
    const second = await PgliteClient.open(dir).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(DataDirInUseError);
    expect((second as Error).message).toContain(`in use by process ${process.pid}`);
    await first.close();
    const again = await PgliteClient.open(dir);
    await again.close();
  });

  it('takes over a lock whose process is gone, and keeps one another live process holds', () => {
    const dir = join(root, 'stale');
    rmSync(dir, { recursive: true, force: true });
    const file = join(dir, DATA_DIR_LOCK);
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, JSON.stringify({ pid: 2 ** 22 + 17, host: hostname(), command: 'aegis bot', startedAt: 'x' }));
    const release = lockDataDir(dir);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid });
    release();
    // pid 1 always runs: a live process on this host holds the directory.
    writeFileSync(file, JSON.stringify({ pid: 1, host: hostname(), command: 'aegis bot', startedAt: 'x' }));
    expect(() => lockDataDir(dir)).toThrow(/in use by process 1 \(aegis bot/);
  });
});
