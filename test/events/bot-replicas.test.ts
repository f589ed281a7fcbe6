import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Harness, REPO } from '../bot/harness.js';
import { AEGIS_BIN } from '../helpers/run-aegis.js';
import { IndexingStandIn } from './indexing-stand-in.js';
import { deleteStream, privateNames, SHARED_NATS, testDatabase, type TestDatabase } from './nats-support.js';

/** A second `aegis bot` in its own process, and everything it printed; resolves once its event bus is ready. */
async function spawnBot(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [AEGIS_BIN, 'bot'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const read = (chunk: string): void => {
      out += chunk;
      if (out.includes('event bus: ready')) resolve();
    };
    child.stdout?.setEncoding('utf8').on('data', read);
    child.stderr?.setEncoding('utf8').on('data', read);
    child.on('exit', (code) => reject(new Error(`aegis bot exited (${code}): ${out}`)));
  });
  return { child, output: () => out };
}

describe('two aegis bot processes on one NATS queue group and one PostgreSQL', () => {
  const names = privateNames();
  let db: TestDatabase;
  let h: Harness;
  let b: { child: ChildProcess; output: () => string } | undefined;
  let funnel: IndexingStandIn | undefined;

  beforeAll(async () => {
    db = await testDatabase();
    const shared = {
      DATABASE_URL: db.url,
      NATS_URL: SHARED_NATS,
      AEGIS_EVENTS_PREFIX: names.schemaChanged.split('.')[0],
      AEGIS_DEFAULT_REPO: REPO.fullName,
    };
    h = await Harness.start({ ...shared, AEGIS_EVENTS_NAME: 'bot-a' });
    b = await spawnBot({ ...h.replicaEnv('b'), AEGIS_EVENTS_NAME: 'bot-b', LOG_LEVEL: 'info' });
    funnel = await IndexingStandIn.start(SHARED_NATS, names);
  });
  afterAll(async () => {
    await funnel?.close();
    const child = b?.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await h?.close();
    await deleteStream(SHARED_NATS, names);
    await db?.drop();
  });

  it('handle each indexing event exactly once between them', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `evt-replica-${i}`);
    for (const [i, id] of ids.entries())
      await funnel!.send('indexing.started', id, { branch_name: `release-${i}`, indexing_id: `idx-${i}` });
    const started = async (): Promise<string[]> =>
      (await h.bot.bot.freeze.queryAudit({ repo: REPO.fullName, action: 'indexing.started', limit: 100 })).records.map(
        (r) => r.delivery ?? '',
      );
    await vi.waitFor(async () => expect((await started()).length).toBeGreaterThanOrEqual(ids.length), {
      timeout: 30_000,
      interval: 200,
    });
    expect((await started()).sort()).toEqual([...ids].sort());
    // Both processes took work: the spawned one logged some of the events as handled, not all of them.
    const byB = ids.filter((id) => b!.output().includes(id));
    expect(byB.length).toBeGreaterThan(0);
    expect(byB.length).toBeLessThan(ids.length);
    const locked = await h.bot.bot.freeze.listBranches(REPO.fullName);
    expect(locked.filter((s) => s.state === 'LOCKED_FOR_WRITE')).toHaveLength(ids.length);
  });
});
