import { existsSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FreezeService, migrate, PgClient, SqlAuditLog, SqlStateStore } from '@aegis/freeze';
import { eventNames, type EventNames } from '@aegis/events';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ADMIN_URL } from '../helpers/postgres-admin.js';
import { freePort } from '../helpers/free-port.js';

/** The nats-server binary for private instances: Debian puts it in /usr/sbin; NATS_SERVER_BIN overrides. */
const NATS_SERVER =
  process.env['NATS_SERVER_BIN'] ?? (existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server');

/** The machine's NATS JetStream. */
export const SHARED_NATS = 'nats://127.0.0.1:4222';

/** Names private to one test: every subject under a random prefix, so streams never overlap. */
export function privateNames(): EventNames {
  return eventNames({ prefix: `t${randomBytes(5).toString('hex')}` });
}

/** Deletes the test's stream (and its consumers) from a server. */
export async function deleteStream(url: string, names: EventNames): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(names.stream).catch(() => false);
  } finally {
    await nc.close();
  }
}

let databases = 0;

/** A fresh PostgreSQL database with freeze's tables: what several bot replicas share. */
export interface TestDatabase {
  url: string;
  /** A new client (one per replica) with a freeze service on it; closed by `drop`. */
  open(): Promise<{ freeze: FreezeService; sql: PgClient }>;
  drop(): Promise<void>;
}

/** Creates a throwaway database on the machine's PostgreSQL (dropped by `drop()`). */
export async function testDatabase(): Promise<TestDatabase> {
  const name = `aegis_events_${process.pid}_${Date.now().toString(36)}_${databases++}`;
  const admin = new PgClient({ connectionString: ADMIN_URL });
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const clients: PgClient[] = [];
  return {
    url: url.toString(),
    async open() {
      const sql = new PgClient({ connectionString: url.toString() });
      clients.push(sql);
      await migrate(sql);
      return { freeze: new FreezeService(new SqlStateStore(sql), new SqlAuditLog(sql)), sql };
    },
    async drop() {
      for (const client of clients) await client.close().catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}

/** A private `nats-server -js` on a free port with its own store directory, stopped and restarted by a test. */
export class PrivateNats {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    readonly storeDir: string,
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<PrivateNats> {
    const nats = new PrivateNats(await freePort(), await mkdtemp(path.join(tmpdir(), 'aegis-nats-')));
    await nats.restart();
    return nats;
  }

  /** Starts the server (again) on the same port and store; resolves once it accepts clients. */
  async restart(): Promise<void> {
    const child = spawn(NATS_SERVER, ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.storeDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const onData = (chunk: Buffer): void => {
        out += chunk.toString();
        if (out.includes('Server is ready')) resolve();
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => reject(new Error(`nats-server exited (${code}): ${out}`)));
    });
  }

  /** Kills the server and waits for it to end. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  async close(): Promise<void> {
    await this.stop();
    await rm(this.storeDir, { recursive: true, force: true });
  }
}

/** Every message of a stream's subject, in stream order (read with an ordered consumer). */
export async function streamMessages(
  nc: NatsConnection,
  stream: string,
  subject: string,
): Promise<{ seq: number; body: string }[]> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(stream);
  const out: { seq: number; body: string }[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const msg = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (msg && msg.subject === subject) out.push({ seq, body: msg.string() });
  }
  return out;
}
