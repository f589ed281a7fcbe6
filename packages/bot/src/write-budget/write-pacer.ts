import { randomBytes } from 'node:crypto';
import type { WriteWindow } from './write-budget.js';
import type { WriteLedger } from './write-ledger.js';

/** Writes the pacer let through, how long they waited and how many wait now (benchmarks, tests, `/metrics`). */
export interface PacerCounters {
  writes: number;
  waitedMs: number;
  /** Writes waiting now for their installation's budget to have room. */
  waiting: number;
  /** From letting writes through to their answers (each holds its window's slot from its answer on). */
  answeredMs: number;
}

/** Tells the ledger a write let through was answered (or failed): from then on it counts from its answer. */
export type SettleWrite = () => Promise<void>;

/**
 * Paces the content-creating requests (check runs, comments, reactions, merges) of each installation within its
 * write budget. A write counts from its answer (`SettleWrite`), so one that reached GitHub late still fits;
 * each window is counted a little longer than GitHub's (a twentieth, at most 1 s) for clocks that differ.
 */
export class WritePacer {
  readonly counters: PacerCounters = { writes: 0, waitedMs: 0, waiting: 0, answeredMs: 0 };
  private readonly windows: WriteWindow[];
  private readonly ids = `${process.pid}:${randomBytes(4).toString('hex')}`;
  private sequence = 0;

  constructor(
    private readonly ledger: WriteLedger,
    budget: readonly WriteWindow[],
    private readonly sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  ) {
    this.windows = budget.map((w) => ({ limit: w.limit, windowMs: w.windowMs + Math.min(w.windowMs / 20, 1000) }));
  }

  /** Resolves when one more write of `installation` fits its budget (and counts it); call the answer's settle. */
  async acquire(installation: string): Promise<SettleWrite> {
    const started = Date.now();
    const id = `${this.ids}:${this.sequence++}`;
    this.counters.waiting += 1;
    try {
      for (;;) {
        const wait = await this.ledger.reserve(installation, this.windows, id);
        if (wait <= 0) break;
        await this.sleep(wait);
      }
    } finally {
      this.counters.waiting -= 1;
    }
    const through = Date.now();
    this.counters.writes += 1;
    this.counters.waitedMs += through - started;
    return () => {
      this.counters.answeredMs += Date.now() - through;
      return this.ledger.settle(installation, id);
    };
  }

  close(): Promise<void> {
    return this.ledger.close();
  }
}
