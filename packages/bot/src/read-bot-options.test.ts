import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiToken } from './api/api-tokens.js';
import { ConfigError } from './errors.js';
import { readBotOptions, type BotOptions } from './read-bot-options.js';

const BASE = { APP_ID: '42', PRIVATE_KEY: 'the-key', WEBHOOK_SECRET: 'shh' };
const read = (extra: Record<string, string> = {}) => readBotOptions({ ...BASE, ...extra });

describe('readBotOptions', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'aegis-bot-options-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('has a default for everything but the app credentials', async () => {
    const o = await read();
    expect(o).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      webhookPath: '/api/github/webhooks',
      githubApiUrl: 'https://api.github.com',
      githubThrottle: true,
      dataDir: path.resolve('.aegis'),
      stores: { dataDir: path.resolve('.aegis') },
      mirror: { dir: `${path.resolve('.aegis')}-mirrors`, urlTemplate: undefined },
      app: { appId: 42 },
      api: { defaultRepo: undefined, autoSwitch: false },
      events: undefined,
      busIdentity: { name: 'event-bus', roles: ['indexer'] },
      eventBranches: [],
      lockSweepMs: 30_000,
    });
    expect(o.readyTimeoutMs).toBeUndefined();
    expect(o.stores.databaseUrl).toBeUndefined();
    expect(o.mirror.concurrency).toBeUndefined();
    expect(o.api.tokens.size).toBe(0);
    // Probot gets its own variables; REDIS_URL is ours (the state store) and cleared for it.
    expect(o.probotEnv).toEqual({ ...BASE, LOG_FORMAT: undefined, REDIS_URL: '' });
  });

  it.each(['APP_ID', 'PRIVATE_KEY', 'WEBHOOK_SECRET'])('names a missing %s', async (name) => {
    const env: Record<string, string> = { ...BASE };
    delete env[name];
    await expect(readBotOptions(env)).rejects.toThrow(new ConfigError(`${name} is not set: see docs/github-app.md`));
  });

  it('reads PRIVATE_KEY_PATH when PRIVATE_KEY is unset, and says when the file cannot be read', async () => {
    const file = path.join(dir, 'app.pem');
    await writeFile(file, 'pem text');
    const env = { APP_ID: '1', WEBHOOK_SECRET: 's', PRIVATE_KEY_PATH: file };
    expect((await readBotOptions(env)).probotEnv.PRIVATE_KEY).toBe('pem text');
    await expect(readBotOptions({ ...env, PRIVATE_KEY_PATH: path.join(dir, 'none.pem') })).rejects.toThrow(
      /PRIVATE_KEY_PATH .*none\.pem cannot be read/,
    );
  });

  it('reads the server, GitHub and Probot variables', async () => {
    const o = await read({
      HOST: '0.0.0.0',
      PORT: '0',
      WEBHOOK_PATH: '/hooks',
      GHE_HOST: 'ghe.example',
      GHE_PROTOCOL: 'http',
      AEGIS_GITHUB_THROTTLE: 'off',
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'json',
      UNRELATED: 'x',
    });
    expect(o).toMatchObject({ host: '0.0.0.0', port: 0, webhookPath: '/hooks', githubThrottle: false });
    expect(o.githubApiUrl).toBe('http://ghe.example/api/v3');
    expect(o.probotEnv).toMatchObject({ LOG_LEVEL: 'debug', LOG_FORMAT: 'json', GHE_HOST: 'ghe.example' });
    expect(o.probotEnv).not.toHaveProperty('UNRELATED');
    expect((await read({ GHE_HOST: 'ghe.example' })).githubApiUrl).toBe('https://ghe.example/api/v3');
  });

  // Each row: what is read, the variables set, and the parts of the options they give (each compared whole).
  it.each<[string, Record<string, string>, Partial<BotOptions>]>([
    [
      'the stores, the ready timeout and the lock sweep',
      {
        AEGIS_DATA_DIR: '/data',
        DATABASE_URL: 'postgres://db/x',
        REDIS_URL: 'redis://r:6379',
        AEGIS_REDIS_PREFIX: 'p:',
        AEGIS_READY_TIMEOUT_SECONDS: '2',
        AEGIS_LOCK_SWEEP_MS: '100',
      },
      {
        stores: { dataDir: '/data', databaseUrl: 'postgres://db/x', redisUrl: 'redis://r:6379', redisPrefix: 'p:' },
        readyTimeoutMs: 2000,
        lockSweepMs: 100,
      },
    ],
    [
      'the mirror: its folder, URL template and limits',
      {
        AEGIS_MIRROR_DIR: '/m',
        AEGIS_GIT_URL: 'http://git/{owner}/{repo}.git',
        AEGIS_MIRROR_CONCURRENCY: '2',
        AEGIS_MIRROR_BUDGET_MB: '1.5',
      },
      {
        mirror: {
          dir: '/m',
          urlTemplate: 'http://git/{owner}/{repo}.git',
          concurrency: 2,
          diskBudgetBytes: Math.round(1.5 * 1024 * 1024),
        },
      },
    ],
    [
      'the app settings',
      {
        AEGIS_ISSUE_PATTERN: 'OMS-\\d+',
        AEGIS_BOT_LOGIN: 'aegis[bot]',
        AEGIS_VERIFY_DATABASE_URL: 'postgres://verify',
        AEGIS_MERGE_METHOD: 'squash',
      },
      {
        app: {
          issueKeyPattern: /OMS-\d+/,
          botLogin: 'aegis[bot]',
          verifyDatabaseUrl: 'postgres://verify',
          appId: 42,
          mergeMethod: 'squash',
        },
      },
    ],
  ])('reads %s', async (_what, env, parts) => {
    const o = await read(env);
    const got = Object.fromEntries(Object.keys(parts).map((k) => [k, o[k as keyof BotOptions]]));
    expect(got).toEqual(parts);
  });

  it('reads the API tokens from the variable and the file, the default repository and auto-switch', async () => {
    const file = path.join(dir, 'tokens.json');
    await writeFile(file, JSON.stringify([{ name: 'b', roles: ['admin'], sha256: hashApiToken('two') }]));
    const o = await read({
      AEGIS_API_TOKENS: JSON.stringify([{ name: 'a', roles: ['indexer'], sha256: hashApiToken('one') }]),
      AEGIS_API_TOKENS_FILE: file,
      AEGIS_DEFAULT_REPO: 'acme/orders',
      AEGIS_SHADOW_AUTO_SWITCH: 'on',
    });
    expect(o.api.tokens.identify('Bearer one')).toEqual({ name: 'a', roles: ['indexer'] });
    expect(o.api.tokens.identify('Bearer two')).toEqual({ name: 'b', roles: ['admin'] });
    expect(o.api).toMatchObject({ defaultRepo: 'acme/orders', autoSwitch: true });
  });

  it('reads the metrics token and listen address', async () => {
    expect((await read()).metrics).toEqual({ token: undefined, listen: undefined });
    const o = await read({ AEGIS_METRICS_TOKEN: 'scrape-me', AEGIS_METRICS_LISTEN: '[::1]:9464' });
    expect(o.metrics).toEqual({ token: 'scrape-me', listen: { host: '::1', port: 9464 } });
  });

  it('reads NATS and the event names only with NATS_URL', async () => {
    const o = await read({
      NATS_URL: 'nats://n:4222',
      DATABASE_URL: 'postgres://db/x',
      AEGIS_EVENTS_PREFIX: 'staging',
      AEGIS_EVENTS_NAME: 'bot-1',
      AEGIS_DEFAULT_REPO: 'acme/orders',
      AEGIS_EVENTS_BRANCHES: 'release/*, prod',
    });
    expect(o.events).toMatchObject({
      natsUrl: 'nats://n:4222',
      store: { databaseUrl: 'postgres://db/x' },
      name: 'bot-1',
      defaultRepository: 'acme/orders',
      names: { schemaChanged: 'staging.schema.changed' },
    });
    expect(o.eventBranches).toEqual(['release/*', 'prod']);
    expect((await read({ AEGIS_EVENTS_NAME: 'bot-1' })).events).toBeUndefined();
  });

  it.each([
    [{}, { name: 'event-bus', roles: ['indexer'] }],
    [{ AEGIS_EVENTS_IDENTITY: 'funnel-bus' }, { name: 'funnel-bus', roles: ['indexer'] }],
    [{ AEGIS_EVENTS_ROLES: 'indexer, auditor ,' }, { name: 'event-bus', roles: ['indexer', 'auditor'] }],
    [
      { AEGIS_EVENTS_IDENTITY: ' ', AEGIS_EVENTS_ROLES: ' , ' },
      { name: 'event-bus', roles: ['indexer'] },
    ],
  ])('reads who bus events act as from %j', async (env, identity) => {
    expect((await read(env)).busIdentity).toEqual(identity);
  });

  it('names an unreadable API token file', async () => {
    const attempt = read({ AEGIS_API_TOKENS_FILE: path.join(dir, 'no-tokens.json') });
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(/API tokens: .*no-tokens\.json/);
  });

  it.each([
    ['APP_ID', 'abc', /APP_ID must be a whole number ≥ 1, not abc/],
    ['PORT', '80.5', /PORT must be a whole number ≥ 0, not 80\.5/],
    ['AEGIS_LOCK_SWEEP_MS', '0', /AEGIS_LOCK_SWEEP_MS must be a whole number ≥ 1, not 0/],
    [
      'AEGIS_READY_TIMEOUT_SECONDS',
      'soon',
      /AEGIS_READY_TIMEOUT_SECONDS must be a positive number of seconds, not soon/,
    ],
    ['AEGIS_MERGE_METHOD', 'fast-forward', /AEGIS_MERGE_METHOD must be merge, squash or rebase, not fast-forward/],
    ['AEGIS_ISSUE_PATTERN', 'OMS-(', /AEGIS_ISSUE_PATTERN is not a regular expression/],
    ['AEGIS_MIRROR_CONCURRENCY', '0', /AEGIS_MIRROR_CONCURRENCY must be a whole number ≥ 1, got 0/],
    ['AEGIS_MIRROR_BUDGET_MB', '-1', /AEGIS_MIRROR_BUDGET_MB must be a positive number, got -1/],
    [
      'AEGIS_API_TOKENS',
      '[{"name":"x"}]',
      /API tokens: AEGIS_API_TOKENS: token 1 needs name, roles and a 64-hex sha256/,
    ],
    ['LOG_FORMAT', 'xml', /LOG_FORMAT must be json or pretty, not xml/],
    ['AEGIS_METRICS_LISTEN', '9464', /AEGIS_METRICS_LISTEN must be host:port/],
  ])('refuses %s=%s with a ConfigError naming it', async (name, value, message) => {
    const attempt = read({ [name]: value });
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(message);
  });
});
