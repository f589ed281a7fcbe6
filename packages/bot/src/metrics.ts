import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { FreezeService } from '@aegis/freeze';

/**
 * The app's Prometheus metrics (served at `/metrics`): webhook handling time, GitHub requests, check
 * outcomes, lock conflicts, and — read from the store at scrape time — active locks and locked branches.
 */
export class BotMetrics {
  readonly registry = new Registry();
  readonly webhookDuration = new Histogram({
    name: 'aegis_webhook_duration_seconds',
    help: 'Time to handle one webhook delivery',
    labelNames: ['event', 'outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [this.registry],
  });
  readonly githubRequests = new Counter({
    name: 'aegis_github_requests_total',
    help: 'GitHub REST requests made by the app',
    labelNames: ['method', 'route'],
    registers: [this.registry],
  });
  readonly checkRuns = new Counter({
    name: 'aegis_check_runs_total',
    help: 'Check runs published, by check and conclusion',
    labelNames: ['check', 'conclusion'],
    registers: [this.registry],
  });
  readonly lockConflicts = new Counter({
    name: 'aegis_lock_conflicts_total',
    help: 'Lock requests refused because another lock covers them',
    registers: [this.registry],
  });

  constructor(freeze?: FreezeService, repo?: string) {
    if (!freeze) return;
    const locks = new Gauge({
      name: 'aegis_active_locks',
      help: 'Live locks',
      labelNames: ['scope'],
      registers: [this.registry],
    });
    const locked = new Gauge({
      name: 'aegis_locked_branches',
      help: 'Branches not ACTIVE or holding locks',
      registers: [this.registry],
    });
    // Read at scrape time so several replicas report the shared store's truth, not their own memory.
    const collect = async (): Promise<void> => {
      const branches = await freeze.listBranches(repo).catch(() => undefined);
      locks.reset();
      if (!branches) return;
      for (const lock of branches.flatMap((b) => b.locks)) locks.inc({ scope: lock.scope });
      locked.set(branches.filter((b) => b.state !== 'ACTIVE' || b.locks.length > 0).length);
    };
    this.collect = collect;
  }

  /** Refreshes the store-backed gauges (called before each scrape). */
  collect: () => Promise<void> = async () => undefined;

  /** The exposition text. */
  async render(): Promise<{ contentType: string; body: string }> {
    await this.collect();
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
