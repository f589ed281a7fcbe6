import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { sizeOf } from './mirror/disk-budget.js';
import { MirrorDiskUse, MirrorPacerMetrics } from './mirror-pacer-metrics.js';

describe('the mirrors’ disk on /metrics: measured rarely, mirrors only', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'aegis-mirror-disk-'));
    await mkdir(path.join(dir, 'acme', 'a.git'), { recursive: true });
    await writeFile(path.join(dir, 'acme', 'a.git', 'pack'), Buffer.alloc(64 * 1024));
    // Beside the mirrors, not one of them: the parse cache and the files every mirror shares.
    await writeFile(path.join(dir, 'parse-cache'), Buffer.alloc(256 * 1024));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('the first scrape measures; later ones only when the mirrors changed and the interval passed', async () => {
    const first = await sizeOf(path.join(dir, 'acme'));
    const grow = () => writeFile(path.join(dir, 'acme', 'b.pack'), Buffer.alloc(128 * 1024));
    const often = new MirrorDiskUse(dir, 0);
    await often.refresh(1);
    expect(often).toMatchObject({ bytes: first, measures: 1 });
    await grow();
    // Nothing fetched or evicted since: no walk, however often it is scraped.
    await often.refresh(1);
    await often.settled();
    expect(often).toMatchObject({ bytes: first, measures: 1 });
    // A fetch since: walked again (in the background: the scrape reports the last measure meanwhile).
    await often.refresh(2);
    await often.settled();
    expect(often.measures).toBe(2);
    expect(often.bytes).toBe(await sizeOf(path.join(dir, 'acme')));
    expect(often.bytes).toBeGreaterThan(first);

    const rare = new MirrorDiskUse(dir, 60 * 60_000);
    await rare.refresh(1);
    await rare.refresh(5);
    await rare.settled();
    expect(rare.measures).toBe(1);
  });

  it('every series is on /metrics before anything is watched, at zero', async () => {
    const registry = new Registry();
    const metrics = new MirrorPacerMetrics(registry);
    await metrics.collect();
    const text = await registry.metrics();
    for (const series of [
      'aegis_write_pacer_writes_total 0',
      'aegis_write_pacer_wait_seconds_total 0',
      'aegis_write_pacer_waiting 0',
      'aegis_mirror_fetches_total{kind="sync"} 0',
      'aegis_mirror_fetches_total{kind="fallback"} 0',
      'aegis_mirror_rebuilds_total 0',
      'aegis_mirror_evictions_total 0',
      'aegis_mirror_prunes_total 0',
      'aegis_mirror_disk_bytes 0',
      'aegis_mirror_disk_budget_bytes 0',
    ])
      expect(text).toContain(`\n${series}\n`);
  });
});
