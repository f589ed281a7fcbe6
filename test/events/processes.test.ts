import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { inbound } from './bus-harness.js';
import { deleteStream, privateNames, SHARED_NATS, testDatabase, type TestDatabase } from './nats-support.js';

const WORKER = path.resolve(import.meta.dirname, 'bus-worker.ts');

/** A worker process and every line it printed; `until` waits for a line count without sleeping. */
class Worker {
  readonly lines: string[] = [];
  private waiters: (() => void)[] = [];
  readonly child: ChildProcess;

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let rest = '';
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      this.lines.push(...parts);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  handled(): string[] {
    return this.lines.filter((l) => l.startsWith('HANDLED ')).map((l) => l.slice('HANDLED '.length));
  }

  async until(check: () => boolean, what: string, timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (this.child.exitCode !== null) throw new Error(`worker exited (${this.child.exitCode}) before ${what}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 1000);
      });
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

const names = privateNames();
let db: TestDatabase | undefined;
const workers: Worker[] = [];
afterEach(async () => {
  for (const w of workers.splice(0)) await w.stop();
  await deleteStream(SHARED_NATS, names);
  await db?.drop();
});

describe('two processes in one queue group', () => {
  it('share the events and handle each exactly once', async () => {
    db = await testDatabase();
    const env = {
      NATS_URL: SHARED_NATS,
      DATABASE_URL: db.url,
      AEGIS_EVENTS_PREFIX: names.schemaChanged.split('.')[0] as string,
    };
    for (const name of ['bot-1', 'bot-2']) workers.push(new Worker({ ...env, AEGIS_EVENTS_NAME: name }));
    for (const w of workers) await w.until(() => w.lines.includes('READY'), 'READY');
    const nc = await connect({ servers: SHARED_NATS });
    const ids = Array.from({ length: 40 }, (_, i) => `proc-${i}`);
    for (const id of ids)
      await jetstream(nc).publish(
        names.inbound['indexing.started'],
        JSON.stringify(inbound('indexing.started', { indexing_id: id }, id)),
      );
    await nc.close();
    const all = (): string[] => workers.flatMap((w) => w.handled());
    await workers[0]!.until(() => all().length >= ids.length, '40 events handled');
    expect([...all()].sort()).toEqual([...ids].sort());
    expect(workers.every((w) => w.handled().length > 0)).toBe(true);
  }, 120_000); // two Node processes compiling TypeScript on a loaded 2-core machine
});
