import type { SchemaEventSink } from '@aegis/events';
import type { FreezeService } from '@aegis/freeze';
import { LockWatcher } from './lock-watcher.js';
import { BotMetrics } from './metrics.js';
import { ParseCache } from './mirror/parse-cache.js';
import type { RepoMirror } from './mirror/repo-mirror.js';
import { ActorResolver } from './rbac/resolve-actor.js';

/** Settings an operator may change (environment variables in `startBot`). */
export interface BotConfig {
  /** A key pattern that also links an issue (`OMS-\d+`), besides `Fixes #12` / `Refs #12`. */
  issueKeyPattern?: RegExp;
  /** TTL of a `/lock` without `--ttl` (default 30 min). */
  defaultLockTtlMs: number;
  /** Upper bound for `--ttl` (default 24 h). */
  maxLockTtlMs: number;
  /** The app's own login (`<slug>[bot]`): its comments are ignored. */
  botLogin?: string;
  /** Delivery dedupe window (default 24 h). */
  dedupeTtlMs: number;
  /**
   * A PostgreSQL server where `aegis/validate` proves each change's SQL on a throwaway database
   * (`AEGIS_VERIFY_DATABASE_URL`; the role needs CREATEDB). Unset: no proof.
   */
  verifyDatabaseUrl?: string;
  /** The app's id (`APP_ID`): only its own check runs count for the auto-merge gate. */
  appId?: number;
  /** How auto-merge merges (`AEGIS_MERGE_METHOD`); default: the first the repository allows, merge → squash → rebase. */
  mergeMethod?: MergeMethod;
}

/** GitHub's three ways of merging a pull request. */
export type MergeMethod = 'merge' | 'squash' | 'rebase';

/** What `createAegisApp` is given: the stores (through the freeze facade), the mirror and a clock. */
export interface AegisDeps {
  freeze: FreezeService;
  mirror: RepoMirror;
  config?: Partial<BotConfig>;
  /** Parsed-file cache shared by every event (one per process). */
  cache?: ParseCache;
  actors?: ActorResolver;
  metrics?: BotMetrics;
  clock?: () => number;
  /** Where pushes that change the registry are published as `schema.changed` (NATS, docs/events.md). */
  schemaEvents?: SchemaEventSink;
  /** The indexing operations' settings (`AEGIS_DEFAULT_REPO`, `AEGIS_SHADOW_AUTO_SWITCH`). */
  operations?: { defaultRepo?: string | undefined; autoSwitch?: boolean };
}

/** The resolved dependencies every handler receives. */
export interface BotContext {
  freeze: FreezeService;
  mirror: RepoMirror;
  config: BotConfig;
  cache: ParseCache;
  actors: ActorResolver;
  metrics: BotMetrics;
  /** Notices lock changes made elsewhere (TTL expiry, the indexing service) and re-runs aegis/freeze. */
  watcher: LockWatcher;
  /** Audit comment ids by `repo#issue#pr`: steady state costs one PATCH (found again by marker after a restart). */
  auditComments: Map<string, number>;
  clock: () => number;
  schemaEvents: SchemaEventSink;
}

/** Fills defaults. */
export function botContext(deps: AegisDeps): BotContext {
  const clock = deps.clock ?? Date.now;
  return {
    freeze: deps.freeze,
    mirror: deps.mirror,
    config: { defaultLockTtlMs: 30 * 60_000, maxLockTtlMs: 24 * 3600_000, dedupeTtlMs: 24 * 3600_000, ...deps.config },
    cache: deps.cache ?? new ParseCache(),
    actors: deps.actors ?? new ActorResolver(clock),
    metrics: deps.metrics ?? new BotMetrics(deps.freeze),
    watcher: new LockWatcher(deps.freeze),
    auditComments: new Map(),
    clock,
    schemaEvents: deps.schemaEvents ?? { branches: [] },
  };
}
