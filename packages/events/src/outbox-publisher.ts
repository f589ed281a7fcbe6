import type { JetStreamClient } from '@nats-io/jetstream';
import type { EventStore } from './event-store.js';

/** Where the publisher says what went wrong (the bot passes its pino logger). */
export interface EventLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface OutboxPublisherOptions {
  /** This replica's name in the drainer lease. */
  owner: string;
  /** How long a lease lasts without renewal (default 15 s): a crashed replica's lease frees after it. */
  leaseMs?: number;
  /** Waits before retrying after a failed publish, by consecutive failures (the last repeats). */
  backoffMs?: number[];
  /** How long to wait for the stream's acknowledgement (default 5 s). */
  ackTimeoutMs?: number;
  /** Drain even without a trigger this often (default 5 s): other replicas' rows, expired leases. */
  pollMs?: number;
  log?: EventLogger;
}

// Published rows are kept a day (for `aegis events` and debugging), then pruned by the drainer hourly.
const KEEP_PUBLISHED_MS = 24 * 3600_000;
const PRUNE_EVERY_MS = 3600_000;
const quiet: EventLogger = { info: () => undefined, warn: () => undefined };

/**
 * Publishes the outbox to JetStream in order, one replica at a time (the drainer lease). Each event is
 * published with its id as `Nats-Msg-Id`, so a retry after an unacknowledged publish is dropped by the
 * stream as a duplicate; a row is marked published only once the stream acknowledged it. A failure stops
 * the drain (order is kept) and retries with backoff; NATS reconnecting drains at once.
 */
export class OutboxPublisher {
  private running: Promise<void> | undefined;
  private again = false;
  private failures = 0;
  private prunedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly poll: NodeJS.Timeout;
  private readonly opts: Required<Omit<OutboxPublisherOptions, 'log'>> & { log: EventLogger };

  constructor(
    private readonly store: EventStore,
    private readonly js: () => JetStreamClient | undefined,
    options: OutboxPublisherOptions,
  ) {
    this.opts = {
      leaseMs: 15_000,
      backoffMs: [200, 1000, 5000, 15_000],
      ackTimeoutMs: 5000,
      pollMs: 5000,
      log: quiet,
      ...options,
    };
    this.poll = setInterval(() => this.kick(), this.opts.pollMs);
    this.poll.unref();
  }

  /** Drains soon; calls made while a drain runs make it go round once more. */
  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drainLoop().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves when no drain is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.poll);
    clearTimeout(this.timer);
    await this.idle();
    await this.store.release(this.opts.owner).catch(() => undefined);
  }

  private async drainLoop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.drain();
      } catch (error) {
        this.retryLater(error);
        return;
      }
    } while (this.again && !this.closed);
  }

  private async drain(): Promise<void> {
    const js = this.js();
    if (!js || !(await this.store.lease(this.opts.owner, this.opts.leaseMs))) return;
    if (Date.now() - this.prunedAt > PRUNE_EVERY_MS) {
      this.prunedAt = Date.now();
      await this.store.prune(KEEP_PUBLISHED_MS);
    }
    for (;;) {
      const batch = await this.store.pending(50);
      if (batch.length === 0 || this.closed) return;
      for (const entry of batch) {
        try {
          const ack = await js.publish(entry.subject, entry.payload, {
            msgID: entry.eventId,
            timeout: this.opts.ackTimeoutMs,
          });
          await this.store.markPublished(entry.seq, ack.seq);
          this.failures = 0;
        } catch (error) {
          await this.store.markFailed(entry.seq, String(error)).catch(() => undefined);
          throw error;
        }
      }
      if (!(await this.store.lease(this.opts.owner, this.opts.leaseMs))) return;
    }
  }

  private retryLater(error: unknown): void {
    const { backoffMs } = this.opts;
    const wait = backoffMs[Math.min(this.failures, backoffMs.length - 1)] ?? 1000;
    this.failures++;
    this.opts.log.warn(
      { err: String(error), retryInMs: wait, failures: this.failures },
      'event outbox: publish failed, will retry',
    );
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), wait);
    this.timer.unref();
  }
}
