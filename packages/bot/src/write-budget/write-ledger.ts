import type { WriteWindow } from './write-budget.js';
import { IN_FLIGHT_MS, writeWait } from './write-budget.js';

/**
 * Where an installation's recent writes are counted: in this process, or in a store every replica shares. One
 * call both decides and, when the write fits, records it, so two replicas cannot both take the last slot. A
 * write counts from when it is answered (`settle`), not from when it was let through: GitHub counts it when
 * it arrives, which may be well after it left a loaded process, and always before its answer.
 */
export interface WriteLedger {
  /**
   * Records write `id` of `installation` as in flight if it fits every window (returns 0), else returns the ms
   * to wait.
   */
  reserve(installation: string, windows: readonly WriteWindow[], id: string): Promise<number>;
  /** Write `id` was answered (or failed): it counts from now. */
  settle(installation: string, id: string): Promise<void>;
  close(): Promise<void>;
}

/** A ledger in this process's memory: exact for one replica. */
export class MemoryWriteLedger implements WriteLedger {
  private readonly writes = new Map<string, Map<string, number>>();

  constructor(private readonly clock: () => number = Date.now) {}

  reserve(installation: string, windows: readonly WriteWindow[], id: string): Promise<number> {
    const now = this.clock();
    const longest = Math.max(0, ...windows.map((w) => w.windowMs));
    const writes = this.writes.get(installation) ?? new Map<string, number>();
    for (const [key, t] of writes) if (t <= now - longest) writes.delete(key);
    const wait = writeWait([...writes.values()], windows, now);
    if (wait === 0) writes.set(id, now + IN_FLIGHT_MS);
    this.writes.set(installation, writes);
    return Promise.resolve(wait);
  }

  settle(installation: string, id: string): Promise<void> {
    const writes = this.writes.get(installation);
    if (writes?.has(id)) writes.set(id, this.clock());
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
