import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BranchStatus, FreezeService } from '@aegis/freeze';
import { GitHubRouteLabels } from './github-route-label.js';
import { operationMetrics } from './indexing/operation-metrics.js';
import { MirrorPacerMetrics } from './mirror-pacer-metrics.js';

/** What the NATS bus reports for the outbox and parked-events gauges (`EventBus` of @aegis/events). */
export interface EventBacklog {
  backlog(): Promise<{ pending: number; oldest: string | null }>;
  parked(): Promise<unknown[]>;
}

/**
 * The app's Prometheus metrics (served at `/metrics`): webhook handling time, GitHub requests, check
 * outcomes, lock conflicts, indexing and switch durations, and — read from the stores at scrape time — active
 * locks, locked branches, branches by state with the age of the oldest, the outbox backlog and parked events,
 * and — read from their counters — the write pacer's writes and waits and the mirrors' round trips and disk.
 * `ops/` holds the dashboard and alert rules built on them (docs/operations.md).
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
  private readonly routes = new GitHubRouteLabels();

  /** Counts one GitHub request under its route template (bounded: never a user, team or repository). */
  countGithubRequest(method: string, path: string): void {
    this.githubRequests.inc({ method, route: this.routes.label(path) });
  }

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

  private readonly outboxPending = this.gauge('aegis_event_outbox_pending', 'Events in the outbox not yet on NATS');
  private readonly outboxOldest = this.gauge(
    'aegis_event_outbox_oldest_seconds',
    'Age of the oldest event waiting in the outbox (0 when none)',
  );
  private readonly parkedEvents = this.gauge(
    'aegis_events_parked',
    'Inbound events parked after their handler kept failing',
  );
  private events: EventBacklog | undefined;
  /** The write pacer and the mirrors (`watchPacer`, `watchMirror` where the app is put together). */
  readonly capacity = new MirrorPacerMetrics(this.registry);

  constructor(freeze?: FreezeService, repo?: string) {
    // Registered up front so every family is on /metrics before its first observation (dashboards, alerts).
    operationMetrics(this.registry);
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
    const auditQueued = this.gauge(
      'aegis_audit_outbox_pending',
      'Audit records queued with their changes (state in Redis) and not yet in the audit log',
    );
    // Read at scrape time so several replicas report the shared store's truth, not their own memory.
    const collect = async (): Promise<void> => {
      auditQueued.set((await freeze.store.outbox?.size().catch(() => undefined)) ?? 0);
      const branches = await freeze.listBranches(repo).catch(() => undefined);
      locks.reset();
      if (!branches) return;
      for (const lock of branches.flatMap((b) => b.locks)) locks.inc({ scope: lock.scope });
      locked.set(branches.filter((b) => b.state !== 'ACTIVE' || b.locks.length > 0).length);
      this.byState(branches);
    };
    this.collect = collect;
  }

  private readonly branchesByState = new Gauge({
    name: 'aegis_branches',
    help: 'Branches with a stored state or locks, by state',
    labelNames: ['state'],
    registers: [this.registry],
  });
  private readonly oldestState = new Gauge({
    name: 'aegis_branch_state_oldest_seconds',
    help: 'How long the branch longest in each state has been in it (a stuck LOCKED_FOR_WRITE shows here)',
    labelNames: ['state'],
    registers: [this.registry],
  });

  private gauge(name: string, help: string): Gauge {
    return new Gauge({ name, help, registers: [this.registry] });
  }

  private byState(branches: BranchStatus[]): void {
    this.branchesByState.reset();
    this.oldestState.reset();
    for (const state of ['ACTIVE', 'LOCKED_FOR_WRITE', 'READY', 'ERROR', 'ARCHIVED']) {
      const inState = branches.filter((b) => b.state === state);
      this.branchesByState.set({ state }, inState.length);
      const ages = inState.map((b) => (b.since > 0 ? (b.now - b.since) / 1000 : 0));
      this.oldestState.set({ state }, Math.max(0, ...ages));
    }
  }

  /** Reads the NATS bus's outbox backlog and parked events at each scrape (`aegis bot` with NATS_URL). */
  watchEvents(events: EventBacklog | undefined): void {
    this.events = events;
  }

  private async collectEvents(): Promise<void> {
    const backlog = await this.events?.backlog().catch(() => undefined);
    const parked = await this.events?.parked().catch(() => undefined);
    this.outboxPending.set(backlog?.pending ?? 0);
    const oldest = backlog?.oldest ? (Date.now() - Date.parse(backlog.oldest)) / 1000 : 0;
    this.outboxOldest.set(Number.isFinite(oldest) ? Math.max(0, oldest) : 0);
    this.parkedEvents.set(parked?.length ?? 0);
  }

  /** Refreshes the store-backed gauges (called before each scrape). */
  collect: () => Promise<void> = async () => undefined;

  /** The exposition text. */
  async render(): Promise<{ contentType: string; body: string }> {
    await Promise.all([this.collect(), this.collectEvents(), this.capacity.collect()]);
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
