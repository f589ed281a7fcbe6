import type { AuditLog } from './audit-log.js';
import type { AuditOutbox } from './audit-outbox.js';
import { StoreUnavailableError } from './errors.js';

/** What one drain did. */
export interface DrainReport {
  /** Records appended to the audit log. */
  written: number;
  /** Records the log already held (an earlier drain, or another process's, got there first). */
  skipped: number;
  /** Records the log refused for good, moved aside with their error. */
  parked: number;
}

/** Records read from the outbox per round trip. */
const BATCH = 100;

/**
 * Drains an `AuditOutbox` into the `AuditLog`: oldest first, each record appended by its own id (so a record
 * drained twice — a crash between append and removal, two replicas at once — is written once), then removed.
 * An unreachable audit log stops the drain with `StoreUnavailableError`, the records staying queued for the
 * next one; a record the log refuses for another reason is parked, so it cannot hold up those behind it.
 * Drains in one process take turns: a drain asked for while one runs starts when it ends.
 */
export class AuditReconciler {
  private running?: Promise<DrainReport>;
  private queued?: Promise<DrainReport>;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly outbox: AuditOutbox,
    private readonly audit: AuditLog,
  ) {}

  /** Drains until the outbox is empty; rejects with `StoreUnavailableError` when a store cannot be reached. */
  drain(): Promise<DrainReport> {
    if (!this.running) {
      this.running = this.pass().finally(() => (this.running = undefined));
      return this.running;
    }
    // The running drain may have read the outbox before the caller's records were queued: one more after it.
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.drain();
      });
    return this.queued;
  }

  /** Drains now and then every `intervalMs` (timer unref'd); failures go to `onError` and the next turn retries. */
  start(intervalMs: number, onError: (error: unknown) => void = () => undefined): void {
    clearInterval(this.timer);
    const turn = (): void => void this.drain().catch(onError);
    turn();
    this.timer = setInterval(turn, intervalMs);
    this.timer.unref();
  }

  /** Stops the periodic drains and waits for one in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled([this.running, this.queued]);
  }

  private async pass(): Promise<DrainReport> {
    const report: DrainReport = { written: 0, skipped: 0, parked: 0 };
    for (;;) {
      const batch = await this.outbox.peek(BATCH);
      if (batch.length === 0) return report;
      const done: string[] = [];
      try {
        for (const entry of batch) {
          try {
            if (await this.audit.appendRecord(entry.record)) report.written += 1;
            else report.skipped += 1;
            done.push(entry.entryId);
          } catch (error) {
            if (error instanceof StoreUnavailableError) throw error;
            await this.outbox.park(entry, error instanceof Error ? error.message : String(error));
            report.parked += 1;
          }
        }
      } finally {
        await this.outbox.remove(done);
      }
    }
  }
}
