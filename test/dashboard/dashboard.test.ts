import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../bot/harness.js';
import { callApi, startApiHarness, TOKENS } from '../api/api-harness.js';

const SHOTS = path.resolve(import.meta.dirname, '../../test-results');

describe('/aegis/dashboard in headless Chromium', () => {
  let h: Harness;
  let browser: Browser;
  const requests: string[] = [];

  beforeAll(async () => {
    h = await startApiHarness();
    const start = await callApi(h.bot.url, TOKENS.indexer, 'POST', 'branch-locks/indexing/main/start', {
      indexing_id: 'idx-dash',
      ttl_seconds: 1800,
    });
    expect(start.status).toBe(201);
    const shadow = await callApi(h.bot.url, TOKENS.indexer, 'POST', 'shadow-index/start', {
      branch: 'release',
      index_type: 'search',
      tree_hash: 'a'.repeat(40),
    });
    const id = (shadow.body['shadow'] as { id: string }).id;
    await callApi(h.bot.url, TOKENS.indexer, 'POST', `shadow-index/${id}/progress`, {
      progress_percent: 65,
      estimated_completion_seconds: 420,
    });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await h.close();
  });

  it('shows the lock with its TTL counting down and the shadow build; an admin token force-unlocks from it', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${h.bot.url}/aegis/dashboard?refresh=1000`);
    await page.fill('#token', TOKENS.viewer);
    await page.click('#login button');
    const lockRow = page.locator('tr.lock').first();
    await lockRow.waitFor();
    expect(await lockRow.textContent()).toContain('funnel-service');
    expect(await page.locator('#branches').textContent()).toContain('LOCKED_FOR_WRITE');
    const ttl = lockRow.locator('.ttl');
    const first = (await ttl.textContent()) ?? '';
    expect(first).toMatch(/^(2\d|30)m \d+s$/);
    await page.waitForFunction((before) => document.querySelector('tr.lock .ttl')?.textContent !== before, first);
    expect(await page.locator('#shadows').textContent()).toMatch(/release.*search.*BUILDING.*65%/s);
    expect(await page.locator('button.force-unlock').count()).toBe(0);

    await page.fill('#token', TOKENS.admin);
    await page.click('#login button');
    const button = page.locator('button.force-unlock[data-branch="main"]');
    await button.waitFor();
    await page.locator('tr[data-branch="main"] input.reason').fill('funnel stuck, INC-42');
    const updated = (await page.locator('#status').textContent()) ?? '';
    await page.waitForFunction((before) => document.getElementById('status')?.textContent !== before, updated);
    expect(await page.locator('tr[data-branch="main"] input.reason').inputValue()).toBe('funnel stuck, INC-42');
    await page.screenshot({ path: path.join(SHOTS, 'dashboard-before-unlock.png'), fullPage: true });
    await button.click();
    await page.waitForFunction(() => document.getElementById('action')?.textContent?.startsWith('Force-unlocked main'));
    await page.waitForFunction(() => document.getElementById('locks')?.textContent?.includes('no live locks'));
    await mkdir(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, 'dashboard.png'), fullPage: true });
    // Left open, the page would go on polling with the admin token every second, and the next test's
    // admin reads would meet the poll limit it set.
    await page.close();

    const status = await callApi(h.bot.url, TOKENS.viewer, 'GET', 'branch-locks/status/main');
    expect(status.body).toMatchObject({ state: 'ACTIVE', locks: [] });
    const audit = await callApi(h.bot.url, TOKENS.admin, 'GET', 'audit?action=branch.force-unlock');
    expect((audit.body['records'] as { actor: string; reason: string }[])[0]).toMatchObject({
      actor: 'ops-admin',
      reason: 'funnel stuck, INC-42',
    });
    // Nothing but this server was asked for anything (no CDN, no external network).
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((u) => u.startsWith(h.bot.url))).toBe(true);
  });

  it('?refresh=1 polls every 2 s at most, and the server refuses a token polling faster (429)', async () => {
    const page = await browser.newPage();
    await page.goto(`${h.bot.url}/aegis/dashboard?refresh=1`);
    await page.fill('#token', TOKENS.viewer);
    await page.click('#login button');
    // The browser's own clock: when each dashboard read started (ms since the page opened).
    const polls = () =>
      page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .filter((e) => e.name.includes('branch-locks/dashboard'))
          .map((e) => e.startTime),
      );
    await page.waitForFunction(
      () =>
        performance.getEntriesByType('resource').filter((e) => e.name.includes('branch-locks/dashboard')).length >= 3,
      undefined,
      { timeout: 20_000 },
    );
    const [first, , third] = await polls();
    // Two intervals of at least 2 s between the first and the third read (before: ~228 reads a second).
    expect(third! - first!).toBeGreaterThanOrEqual(4000);
    await page.close();

    const once = await callApi(h.bot.url, TOKENS.admin, 'GET', 'branch-locks/dashboard');
    const again = await callApi(h.bot.url, TOKENS.admin, 'GET', 'branch-locks/dashboard');
    expect(once.status).toBe(200);
    expect(again.status).toBe(429);
    expect(again.headers.get('retry-after')).toBe('1');
    // Another token, or the same token on another repository, is not held back.
    expect((await callApi(h.bot.url, TOKENS.indexer, 'GET', 'branch-locks/dashboard')).status).toBe(200);
    expect((await callApi(h.bot.url, TOKENS.admin, 'GET', 'branch-locks/dashboard?repo=acme/other')).status).toBe(200);
  });
});
