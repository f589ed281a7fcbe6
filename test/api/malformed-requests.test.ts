import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../helpers/raw-http.js';
import { spawnBot, type SpawnedBot } from '../helpers/spawn-bot.js';
import type { Harness } from '../bot/harness.js';
import { callApi, startApiHarness, TOKENS } from './api-harness.js';

/** Paths whose branch segment is a malformed percent-escape (a truncated UTF-8 sequence). */
const MALFORMED = [
  'branch-locks/status/%E0%A4%A',
  'branch-locks/force-unlock/%E0%A4%A',
  'branch-locks/indexing/%E0%A4%A/start',
  'branch-locks/check/%E0%A4%A',
  'branch-locks/status/%',
];

describe('a malformed request never takes the process down (spawned aegis bot, real HTTP)', () => {
  let h: Harness;
  let bot: SpawnedBot;

  beforeAll(async () => {
    h = await startApiHarness();
    bot = await spawnBot(h.replicaEnv('malformed'));
  });
  afterAll(async () => {
    await bot?.stop();
    await h?.close();
  });

  it('answers 401 without a token and 400 with one, for every malformed escape, and stays healthy', async () => {
    for (const path of MALFORMED) {
      const method = path.endsWith('/start') || path.includes('force-unlock') ? 'POST' : 'GET';
      const anonymous = await callApi(bot.url, undefined, method, path);
      expect(anonymous.status, `anonymous ${path}`).toBe(401);
      const admin = await callApi(bot.url, TOKENS.admin, method, path, method === 'POST' ? {} : undefined);
      expect(admin.status, `admin ${path}`).toBe(400);
      expect(admin.body['message']).toMatch(/malformed percent-escape/);
    }
    const health = await fetch(`${bot.url}/healthz`);
    expect(health.status).toBe(200);
    expect(bot.child.exitCode).toBeNull();
    expect(bot.output()).not.toMatch(/URIError|unhandled/i);
  });

  it('answers odd request targets (absolute-form, bare escapes) with a status, never by dying', async () => {
    for (const target of ['http://[/aegis/api/v1/whoami', '/aegis/%ZZ', '//aegis/api/v1/whoami', '/%']) {
      const { status } = await rawRequest(bot.url, { method: 'GET', target });
      expect(status, target).toBeGreaterThanOrEqual(400);
      expect(status, target).toBeLessThan(600);
    }
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    expect(bot.child.exitCode).toBeNull();
  });

  it('answers a malformed date and a 900 kB branch name with 400, not 500', async () => {
    for (const query of ['since=not-a-date', 'since=2026-13-45']) {
      const audit = await callApi(bot.url, TOKENS.admin, 'GET', `audit?${query}`);
      expect(audit.status, query).toBe(400);
      expect(audit.body['message']).toMatch(/not a date/);
    }
    const giant = 'b'.repeat(900_000);
    const start = await callApi(bot.url, TOKENS.indexer, 'POST', 'shadow-index/start', {
      branch: giant,
      index_type: 'search',
    });
    expect(start.status).toBe(400);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  });
});
