import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnBot, type SpawnedBot } from '../helpers/spawn-bot.js';
import { Harness } from './harness.js';
import { freePort } from '../helpers/free-port.js';

const TOKEN = 'scrape-token-0123456789';

const scrape = (url: string, token?: string) =>
  fetch(`${url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

describe('/metrics: a token, a separate address, and labels that name no user', () => {
  let h: Harness;
  let apart: SpawnedBot;
  let metricsUrl: string;

  // Two app start-ups (the harness's and the spawned one) take most of a minute on a loaded 2-core machine.
  beforeAll(async () => {
    h = await Harness.start({ AEGIS_METRICS_TOKEN: TOKEN });
    metricsUrl = `http://127.0.0.1:${await freePort()}`;
    apart = await spawnBot({
      ...h.replicaEnv('metrics'),
      AEGIS_METRICS_TOKEN: TOKEN,
      AEGIS_METRICS_LISTEN: metricsUrl.replace('http://', ''),
    });
  }, 180_000);
  afterAll(async () => {
    await apart?.stop();
    await h?.close();
  });

  it('with AEGIS_METRICS_TOKEN a scrape needs the bearer token', async () => {
    expect((await scrape(h.bot.url)).status).toBe(401);
    expect((await scrape(h.bot.url, 'wrong')).status).toBe(401);
    const ok = await scrape(h.bot.url, TOKEN);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('aegis_webhook_duration_seconds');
  });

  it('with AEGIS_METRICS_LISTEN /metrics is served there only', async () => {
    expect((await scrape(apart.url, TOKEN)).status).toBe(404);
    expect((await scrape(metricsUrl)).status).toBe(401);
    expect((await scrape(metricsUrl, TOKEN)).status).toBe(200);
    expect((await fetch(`${metricsUrl}/healthz`)).status).toBe(404);
    expect((await fetch(`${apart.url}/healthz`)).status).toBe(200);
  });

  it('GitHub request series are per route template, never per user, team or repository', async () => {
    await h.openSchemaPull(60, {
      schema: 'users',
      body: 'Fixes #900',
      edit: (users) => users.replace('version: 1.0.0', 'version: 1.0.1'),
    });
    for (const who of ['mallory', 'root', 'dave']) await h.comment(60, who, '/status');
    const text = await (await scrape(h.bot.url, TOKEN)).text();
    const series = text.split('\n').filter((l) => l.startsWith('aegis_github_requests_total{'));
    expect(series.length).toBeGreaterThan(3);
    expect(series.join('\n')).toContain('route="/orgs/{org}/teams/{team_slug}/memberships/{username}"');
    for (const name of ['alice', 'mallory', 'root', 'dave', 'acme/registry', 'platform'])
      expect(
        series.filter((l) => l.includes(name)),
        name,
      ).toEqual([]);
  });
});
