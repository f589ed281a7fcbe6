import { writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, startApiHarness, TOKENS } from '../api/api-harness.js';
import { runAegis } from '../helpers/run-aegis.js';
import { spawnBot, type SpawnedBot } from '../helpers/spawn-bot.js';
import type { Harness } from './harness.js';

describe('one process per PGlite data directory: the app and `aegis audit` (two real processes)', () => {
  let h: Harness;
  let bot: SpawnedBot;
  let dataDir: string;

  // Two app start-ups (the harness's and the spawned one) take most of a minute on a loaded 2-core machine.
  beforeAll(async () => {
    h = await startApiHarness();
    const env = h.replicaEnv('guarded');
    dataDir = env['AEGIS_DATA_DIR']!;
    bot = await spawnBot(env);
    const started = await callApi(bot.url, TOKENS.indexer, 'POST', 'branch-locks/indexing/main/start', {
      indexing_id: 'idx-guard',
    });
    expect(started.status).toBe(201);
  }, 180_000);
  afterAll(async () => {
    await bot?.stop();
    await h?.close();
  });

  it('aegis audit on the running app’s directory names the app’s process instead of aborting either', async () => {
    const direct = await runAegis(['audit'], h.dataDir, { AEGIS_DATA_DIR: dataDir });
    expect(direct.code).toBe(2);
    expect(direct.stderr).toContain(`is in use by process ${bot.child.pid}`);
    expect(direct.stderr).toContain('AEGIS_API_URL');
    const verify = await runAegis(['audit', 'verify'], h.dataDir, { AEGIS_DATA_DIR: dataDir });
    expect(verify.code).toBe(2);
    expect(verify.stderr).toContain(`process ${bot.child.pid}`);
    // The app was not disturbed.
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    expect(bot.child.exitCode).toBeNull();
    const status = await callApi(bot.url, TOKENS.admin, 'GET', 'branch-locks/status/main');
    expect(status.body['state']).toBe('LOCKED_FOR_WRITE');
  });

  it('reads through the running app’s API when AEGIS_API_URL and AEGIS_API_TOKEN are set', async () => {
    const env = { AEGIS_DATA_DIR: dataDir, AEGIS_API_URL: bot.url, AEGIS_API_TOKEN: TOKENS.admin };
    const out = await runAegis(['audit', '--action', 'indexing.started', '--format', 'json'], h.dataDir, env);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const records = JSON.parse(out.stdout) as { action: string; branch: string; actor: string }[];
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ action: 'indexing.started', branch: 'main' });
    const text = await runAegis(['audit', '--actor', 'nobody'], h.dataDir, env);
    expect(text.stdout).toContain('No audit records match.');
  });

  it('once the app stops, the directory is free; a lock left by a dead process is taken over', async () => {
    await bot.stop();
    const after = await runAegis(['audit', '--action', 'indexing.started'], h.dataDir, { AEGIS_DATA_DIR: dataDir });
    expect(after.stderr).toBe('');
    expect(after.stdout).toContain('indexing.started');
    // A crash leaves the file behind: a pid that no longer runs does not hold the directory.
    const stale = { pid: 2 ** 22 + 17, host: hostname(), command: 'aegis bot', startedAt: 'x' };
    await writeFile(path.join(dataDir, 'aegis.lock'), JSON.stringify(stale));
    const taken = await runAegis(['audit', 'verify'], h.dataDir, { AEGIS_DATA_DIR: dataDir });
    expect(taken.stdout).toContain('Audit log intact');
    expect(taken.code).toBe(0);
  });
});
