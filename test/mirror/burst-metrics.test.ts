import { describe, expect, it } from 'vitest';
import { Harness, REPO } from '../bot/harness.js';
import { useHarness } from '../bot/use-harness.js';

const WINDOW = { limit: 1, windowMs: 2000 };
const BUDGET_MB = 64;

/** The value of one series in a Prometheus exposition (`name` with its labels as written), or undefined. */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/**
 * Issue 19: what a burst costs is on `/metrics` — the write pacer's writes and waits, the mirrors' round trips,
 * rebuilds, evictions and disk — read over HTTP from the app as `startBot` wires it.
 */
describe('/metrics shows the write pacer and the mirrors', () => {
  const harness = useHarness(() =>
    Harness.start({
      AEGIS_WRITE_BUDGET: `${WINDOW.limit}/${WINDOW.windowMs}ms`,
      AEGIS_MIRROR_BUDGET_MB: `${BUDGET_MB}`,
    }),
  );

  it('a PR opened (a sync, four paced check runs): the series say what the pacer and the mirror did', async () => {
    const h = harness();
    // The fake refuses, as GitHub does, a write past the budget: none is, as the pacer held them.
    h.fake.writeLimit.windows = [WINDOW];
    await h.openSchemaPull(1, {
      schema: 'users',
      body: 'Fixes #1',
      edit: (t) => t.replace('version: 1.0.0', 'version: 1.0.1'),
    });
    await h.fake.waitFor(() => h.bot.pacer?.counters.waiting === 0, 20_000, 'no write waiting');
    const text = await (await fetch(`${h.bot.url}/metrics`)).text();

    const arrived = h.fake.writeLimit.writes.get(String(REPO.installationId))?.length ?? 0;
    expect(arrived).toBeGreaterThanOrEqual(4);
    expect(h.fake.writeLimit.refused).toBe(0);
    expect(valueOf(text, 'aegis_write_pacer_writes_total')).toBe(arrived);
    // One write a window: every write after the first waited for the one before it to leave the window.
    const waited = valueOf(text, 'aegis_write_pacer_wait_seconds_total') ?? 0;
    expect(waited).toBeGreaterThan(0);
    expect(waited).toBeCloseTo((h.bot.pacer?.counters.waitedMs ?? -1) / 1000, 3);
    expect(valueOf(text, 'aegis_write_pacer_waiting')).toBe(0);

    const mirror = h.bot.bot.mirror;
    expect(mirror.fetches).toBeGreaterThanOrEqual(1);
    expect(valueOf(text, 'aegis_mirror_fetches_total{kind="sync"}')).toBe(mirror.fetches);
    for (const [kind, key] of [
      ['blobs', 'blobFetches'],
      ['deepen', 'deepens'],
      ['fallback', 'fallbacks'],
    ] as const)
      expect(valueOf(text, `aegis_mirror_fetches_total{kind="${kind}"}`)).toBe(mirror.counters[key]);
    expect(valueOf(text, 'aegis_mirror_rebuilds_total')).toBe(0);
    expect(valueOf(text, 'aegis_mirror_evictions_total')).toBe(0);
    expect(valueOf(text, 'aegis_mirror_prunes_total')).toBe(mirror.counters.prunes);
    expect(mirror.counters.prunes).toBeGreaterThanOrEqual(1); // the first sync after a start prunes
    // The mirror of acme/registry is on disk, within the budget the app was given.
    const disk = valueOf(text, 'aegis_mirror_disk_bytes') ?? 0;
    expect(disk).toBeGreaterThan(0);
    expect(disk).toBeLessThan(BUDGET_MB * 1024 * 1024);
    expect(valueOf(text, 'aegis_mirror_disk_budget_bytes')).toBe(BUDGET_MB * 1024 * 1024);
  }, 120_000);
});
