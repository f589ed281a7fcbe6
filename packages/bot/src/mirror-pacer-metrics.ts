import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { Counter, Gauge, type Registry } from 'prom-client';
import { sizeOf } from './mirror/disk-budget.js';
import type { FetchCounters } from './mirror/fetch-plan.js';
import type { PacerCounters } from './write-budget/write-pacer.js';

/** What `/metrics` reads of the mirrors (`RepoMirror`'s public counters). */
export interface MirrorStats {
  readonly counters: FetchCounters;
  readonly evictions: number;
}

/** Where the mirrors are and the disk they may use (`RepoMirrorOptions`). */
export interface MirrorDisk {
  dir: string;
  diskBudgetBytes?: number | undefined;
}

/** The mirrors' disk is measured again at most this often, and only after they fetched or were evicted. */
export const MIRROR_DISK_MEASURE_MS = 5 * 60_000;

/** The round trips of `FetchCounters`, by the `kind` label they are counted under. */
const ROUND_TRIPS: [string, keyof FetchCounters][] = [
  ['sync', 'fetches'],
  ['blobs', 'blobFetches'],
  ['deepen', 'deepens'],
  ['fallback', 'fallbacks'],
];

/** A series of one value read at scrape time: a gauge, or a counter whose count is kept elsewhere. */
function readSeries(
  type: 'gauge' | 'counter',
  registry: Registry,
  name: string,
  help: string,
  read: () => number,
): void {
  const registers = [registry];
  if (type === 'gauge')
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read());
      },
    });
  else
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(read());
      },
    });
}

/**
 * Bytes the mirrors use: every directory under the mirrors' root (`<owner>/<repo>.git`; the files all mirrors
 * share and the parse cache beside them are not mirrors). A walk of every mirror, so it is taken rarely
 * (`MIRROR_DISK_MEASURE_MS`) and never while the last one runs.
 */
export class MirrorDiskUse {
  bytes = 0;
  /** Walks taken so far. */
  measures = 0;
  private measured: { at: number; changes: number } | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly dir: string,
    private readonly everyMs: number,
  ) {}

  /** The first scrape waits for the first measure; later ones report the last and start a new one when due. */
  async refresh(changes: number): Promise<void> {
    const last = this.measured;
    const due = !last || (changes !== last.changes && Date.now() - last.at >= this.everyMs);
    if (due && !this.running) {
      this.running = this.measure(changes).finally(() => (this.running = undefined));
    }
    if (!last) await this.running;
  }

  /** Resolves when no measure runs. */
  async settled(): Promise<void> {
    await this.running;
  }

  private async measure(changes: number): Promise<void> {
    const owners = await readdir(this.dir, { withFileTypes: true }).catch(() => []);
    let total = 0;
    for (const owner of owners) if (owner.isDirectory()) total += await sizeOf(path.join(this.dir, owner.name));
    this.bytes = total;
    this.measures += 1;
    this.measured = { at: Date.now(), changes };
  }
}

/**
 * The write pacer's and the mirrors' series (issue 19: a burst's paced writes, the mirrors' round trips and
 * disk), registered up front and read from their counters at each scrape; zero until `watch*` is called.
 */
export class MirrorPacerMetrics {
  private pacer: PacerCounters | undefined;
  private mirror: MirrorStats | undefined;
  private disk: MirrorDiskUse | undefined;
  private readonly budget: Gauge;

  constructor(registry: Registry) {
    const pacer = (read: (c: PacerCounters) => number) => () => (this.pacer ? read(this.pacer) : 0);
    readSeries(
      'counter',
      registry,
      'aegis_write_pacer_writes_total',
      'Writes the write pacer let through',
      pacer((c) => c.writes),
    );
    readSeries(
      'counter',
      registry,
      'aegis_write_pacer_wait_seconds_total',
      'Seconds writes waited for their installation’s write budget, summed',
      pacer((c) => c.waitedMs / 1000),
    );
    readSeries(
      'gauge',
      registry,
      'aegis_write_pacer_waiting',
      'Writes waiting now for their installation’s write budget',
      pacer((c) => c.waiting),
    );
    this.budget = this.mirrorSeries(registry);
  }

  /** The mirrors' series; returns the budget's gauge (set once, when the mirror is watched). */
  private mirrorSeries(registry: Registry): Gauge {
    const counters = () => this.mirror?.counters;
    new Counter({
      name: 'aegis_mirror_fetches_total',
      help: 'Round trips the mirrors made to fetch, by kind (sync: one per fetching sync; blobs, deepen, fallback: extra)',
      labelNames: ['kind'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [kind, key] of ROUND_TRIPS) this.inc({ kind }, counters()?.[key] ?? 0);
      },
    });
    const read = (value: (m: MirrorStats) => number) => () => (this.mirror ? value(this.mirror) : 0);
    readSeries(
      'counter',
      registry,
      'aegis_mirror_rebuilds_total',
      'Mirrors found damaged and rebuilt',
      read((m) => m.counters.rebuilds),
    );
    readSeries(
      'counter',
      registry,
      'aegis_mirror_evictions_total',
      'Mirrors deleted to stay within the disk budget',
      read((m) => m.evictions),
    );
    readSeries(
      'counter',
      registry,
      'aegis_mirror_prunes_total',
      'Mirrors rewritten to drop what no branch reaches (closed PRs)',
      read((m) => m.counters.prunes),
    );
    readSeries(
      'gauge',
      registry,
      'aegis_mirror_disk_bytes',
      'Disk the mirrors use (measured again at most every 5 minutes, after they changed)',
      () => this.disk?.bytes ?? 0,
    );
    return new Gauge({
      name: 'aegis_mirror_disk_budget_bytes',
      help: 'Disk the mirrors may use (0: no limit)',
      registers: [registry],
    });
  }

  /** Reads the write pacer's counters at each scrape (`AEGIS_WRITE_BUDGET`; none when it is off). */
  watchPacer(pacer: { counters: PacerCounters } | undefined): void {
    this.pacer = pacer?.counters;
  }

  /** Reads the mirrors' counters at each scrape, and measures their disk now and then. */
  watchMirror(mirror: MirrorStats, disk: MirrorDisk, everyMs = MIRROR_DISK_MEASURE_MS): void {
    this.mirror = mirror;
    this.disk = new MirrorDiskUse(disk.dir, everyMs);
    this.budget.set(disk.diskBudgetBytes ?? 0);
  }

  /** Brings the disk measure up to date when due (before each scrape). */
  async collect(): Promise<void> {
    const m = this.mirror;
    await this.disk?.refresh(m ? m.counters.fetches + m.counters.rebuilds + m.counters.prunes + m.evictions : 0);
  }
}
