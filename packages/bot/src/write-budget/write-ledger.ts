import type { WriteWindow } from './write-budget.js';
import { writeWait } from './write-budget.js';

/**
 * Where an installation's recent writes are counted: in this process, or in a store every replica shares. One
 * call both decides and, when the write fits, records it, so two replicas cannot both take the last slot.
 */
export interface WriteLedger {
  /** Records a write of `installation` now if it fits every window (returns 0), else returns the ms to wait. */
  reserve(installation: string, windows: readonly WriteWindow[]): Promise<number>;
  close(): Promise<void>;
}

/** A ledger in this process's memory: exact for one replica. */
export class MemoryWriteLedger implements WriteLedger {
  private readonly writes = new Map<string, number[]>();

  constructor(private readonly clock: () => number = Date.now) {}

  reserve(installation: string, windows: readonly WriteWindow[]): Promise<number> {
    const now = this.clock();
    const longest = Math.max(0, ...windows.map((w) => w.windowMs));
    const times = (this.writes.get(installation) ?? []).filter((t) => t > now - longest);
    const wait = writeWait(times, windows, now);
    if (wait === 0) times.push(now);
    this.writes.set(installation, times);
    return Promise.resolve(wait);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
