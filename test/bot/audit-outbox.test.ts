import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proxyDatabase, type TcpProxy } from '../../packages/freeze/src/test-support/services.js';
import { apiTokensEnv, callApi, TOKENS } from '../api/api-harness.js';
import { deliver, issueCommentPayload } from '../helpers/fake-github/webhooks.js';
import { adminQuery, databaseUrl } from '../helpers/postgres-admin.js';
import { spawnBot, type SpawnedBot } from '../helpers/spawn-bot.js';
import { Harness, REPO, SECRET } from './harness.js';
import { PrivateRedis } from './private-redis.js';

/** The slice of `pg.Client` read here (the test package carries no @types/pg). */
interface PgReader {
  connect(): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<{ rows: { id: string; action: string; actor: string }[] }>;
  end(): Promise<void>;
}
const pg = createRequire(import.meta.url)('pg') as { Client: new (o: { connectionString: string }) => PgReader };

const run = promisify(execFile);
const ISSUE = 71;
const OURS = ['lock.acquired', 'branch.force-unlock', 'indexing.started'];

describe('with state in Redis and audit in PostgreSQL, PostgreSQL cut (spawned app, real HTTP)', () => {
  let h: Harness;
  let redis: PrivateRedis;
  let proxy: TcpProxy;
  let bot: SpawnedBot;
  const database = `aegis_outbox_${randomBytes(4).toString('hex')}`;
  let nextComment = 91_000;

  /** The audit rows PostgreSQL holds for the branch, read around the proxy. */
  async function auditRows(): Promise<{ id: string; action: string; actor: string }[]> {
    const client = new pg.Client({ connectionString: databaseUrl(database) });
    await client.connect();
    try {
      const sql = 'SELECT id, action, actor FROM aegis_audit WHERE repo = $1 AND branch = $2 ORDER BY seq';
      return (await client.query(sql, [REPO.fullName, 'main'])).rows;
    } finally {
      await client.end();
    }
  }

  /** Posts a command on the issue as `author` to the spawned app; resolves with its reply. */
  async function command(author: string, body: string): Promise<string> {
    const id = nextComment++;
    h.fake.state.comments.push({ id, repo: REPO.fullName, issue: ISSUE, body, user: author, updates: 0 });
    const replies = () =>
      h.fake.state.comments.filter((c) => c.issue === ISSUE && c.user.endsWith('[bot]') && c.body.startsWith('> '));
    const before = replies().length;
    const payload = issueCommentPayload('created', { id, body, author, issueNumber: ISSUE, onPull: false }, REPO);
    const answer = await deliver(`${bot.url}/api/github/webhooks`, 'issue_comment', payload, { secret: SECRET });
    expect(answer.status).toBeLessThan(300);
    await h.fake.waitFor(() => replies().length > before, 20_000, `reply to ${body}`);
    return replies().at(-1)?.body ?? '';
  }

  /** How many audit records wait in the app's Redis outbox. */
  const queued = async (): Promise<number> => {
    const { stdout } = await run('redis-cli', ['-p', String(redis.port), 'XLEN', 'aegis:audit-outbox']);
    return Number(stdout.trim());
  };

  const api = (token: string, method: 'GET' | 'POST', path: string, body?: unknown) =>
    callApi(bot.url, token, method, path, body);

  beforeAll(async () => {
    h = await Harness.start();
    redis = await PrivateRedis.start();
    await adminQuery(`CREATE DATABASE ${database}`);
    const viaProxy = await proxyDatabase(databaseUrl(database));
    proxy = viaProxy.proxy;
    bot = await spawnBot({
      ...h.replicaEnv('outbox'),
      REDIS_URL: redis.url,
      DATABASE_URL: viaProxy.url,
      AEGIS_API_TOKENS: apiTokensEnv(),
      AEGIS_DEFAULT_REPO: REPO.fullName,
      AEGIS_AUDIT_DRAIN_MS: '200',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    });
  }, 180_000);
  afterAll(async () => {
    try {
      await bot?.stop();
      await proxy?.cut();
      await redis?.stop();
      await h?.close();
    } finally {
      await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    }
  });

  it('/lock, /force-unlock, indexing start and the API force-unlock change state, say so, and are audited once PostgreSQL is back', async () => {
    await proxy.cut();

    const locked = await command('root', '/lock users --reason moving');
    expect(locked).toContain('🔒 Locked');
    expect((await api(TOKENS.viewer, 'GET', 'branch-locks/status/main')).body['locks']).toHaveLength(1);

    const forced = await command('root', '/force-unlock stuck');
    expect(forced).toContain('released 1 lock(s)');
    expect((await api(TOKENS.viewer, 'GET', 'branch-locks/status/main')).body['locks']).toEqual([]);

    const started = await api(TOKENS.indexer, 'POST', 'branch-locks/indexing/main/start', { indexing_id: 'idx-9' });
    expect([started.status, started.body['to'], started.body['audit_pending']]).toEqual([
      201,
      'LOCKED_FOR_WRITE',
      true,
    ]);
    const status = await api(TOKENS.viewer, 'GET', 'branch-locks/status/main');
    expect(status.body['state']).toBe('LOCKED_FOR_WRITE');

    const unlocked = await api(TOKENS.admin, 'POST', 'branch-locks/force-unlock/main', { reason: 'indexer gone' });
    expect(unlocked.status).toBe(200);
    expect([unlocked.body['from'], (unlocked.body['released'] as unknown[]).length]).toEqual(['LOCKED_FOR_WRITE', 1]);
    expect(unlocked.body['audit_pending']).toBe(true);
    expect((await api(TOKENS.viewer, 'GET', 'branch-locks/status/main')).body['state']).toBe('ACTIVE');

    // Every reply says the change was made and its record waits; none claims nothing changed.
    for (const reply of [locked, forced]) {
      expect(reply).toContain('its audit record is queued');
      expect(reply).not.toMatch(/nothing was changed|may not have completed/);
    }
    expect(await auditRows()).toEqual([]);

    expect(await queued()).toBe(4);
    const scrape = async (): Promise<string> => (await fetch(`${bot.url}/metrics`)).text();
    expect(await scrape()).toMatch(/^aegis_audit_outbox_pending 4$/m);

    await proxy.start();
    // The app drains its outbox every 200 ms: once it is empty, every record is in PostgreSQL — exactly once.
    await expect.poll(queued, { timeout: 20_000, interval: 200 }).toBe(0);
    expect(await scrape()).toMatch(/^aegis_audit_outbox_pending 0$/m);
    const rows = (await auditRows()).filter((r) => OURS.includes(r.action));
    expect(rows.map((r) => [r.action, r.actor])).toEqual([
      ['lock.acquired', 'root'],
      ['branch.force-unlock', 'root'],
      ['indexing.started', 'funnel-service'],
      ['branch.force-unlock', 'ops-admin'],
    ]);
    expect(new Set(rows.map((r) => r.id)).size).toBe(4);
    expect(h.fake.unexpected()).toEqual([]);
  });
});
