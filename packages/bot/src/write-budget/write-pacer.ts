import type { WriteWindow } from './write-budget.js';
import type { WriteLedger } from './write-ledger.js';

/** Writes the pacer let through and how long they waited, for benchmarks and `/metrics`. */
export interface PacerCounters {
  writes: number;
  waitedMs: number;
}

/**
 * Paces the content-creating requests (check runs, comments, reactions, merges) of each installation within its
 * write budget. Each window is counted a little longer than GitHub's (a tenth, at most 2 s), so requests that
 * reach GitHub later than they were let through still fit.
 */
export class WritePacer {
  readonly counters: PacerCounters = { writes: 0, waitedMs: 0 };
  private readonly windows: WriteWindow[];

  constructor(
    private readonly ledger: WriteLedger,
    budget: readonly WriteWindow[],
    private readonly sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  ) {
    this.windows = budget.map((w) => ({ limit: w.limit, windowMs: w.windowMs + Math.min(w.windowMs / 10, 2000) }));
  }

  /** Resolves when one more write of `installation` fits its budget (and counts it). */
  async acquire(installation: string): Promise<void> {
    const started = Date.now();
    for (;;) {
      const wait = await this.ledger.reserve(installation, this.windows);
      if (wait <= 0) break;
      await this.sleep(wait);
    }
    this.counters.writes += 1;
    this.counters.waitedMs += Date.now() - started;
  }

  close(): Promise<void> {
    return this.ledger.close();
  }
}
