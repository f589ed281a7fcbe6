import os from 'node:os';
import type { CatalogDifference } from './catalog.js';
import { connectDatabase, type SqlClient } from './connect-database.js';
import { DriftError } from './drift-error.js';
import {
  createHistoryTables,
  finishMigration,
  latestMigration,
  unmanaged,
  markStep,
  recordMigration,
  stepCount,
  unfinishedSteps,
  type HistoryEntry,
} from './history-table.js';
import { detectDrift, planMigration } from './migration-plan.js';
import { withMigrationLock } from './migration-lock.js';
import type { PlannedStep, ProgressListener } from './planned-step.js';
import { readCatalog } from './read-catalog.js';
import { MIGRATION_TIMEOUTS, timeoutSettings } from '@aegis/core';
import { assertValid, type RegistryVersion } from './registry-version.js';
import { runAfterCommitPhase, runTransactionPhase, type RunContext } from './run-steps.js';
import { setupError } from './server-error.js';
import type { StepFailedError } from './step-failed-error.js';

/** Options of `applyMigration`. */
export interface ApplyOptions {
  databaseUrl: string;
  /** The registry version to migrate to. */
  target: RegistryVersion;
  /** Migrate even when the catalog differs from what the history says (the differences are recorded). */
  allowDrift?: boolean;
  /** Tables the registry does not manage (names or `*` patterns): left out of drift checks and snapshots. */
  ignoreTables?: string[];
  /** How long a statement waits for a lock before the run gives up (PostgreSQL interval; default `5s`). */
  lockTimeout?: string;
  /** Plan and check drift, change nothing. */
  dryRun?: boolean;
  /** Who applies, for the history (default `user@host`). */
  appliedBy?: string;
  onProgress?: ProgressListener;
  /** Called with the plan once it is known, before anything runs (the CLI prints its warnings). */
  onPlan?: (steps: readonly PlannedStep[]) => void;
}

/** A version as reports name it. */
export interface VersionRef {
  versionHash: string;
  commit?: string;
  ref?: string;
}

/** What `applyMigration` did. */
export interface ApplyResult {
  /**
   * `up-to-date`: nothing to do (a re-run); `dry-run`: planned only; `applied`: the target is now recorded;
   * `baselined`: an existing database's tables were found to match the target, which is now recorded.
   */
  status: 'up-to-date' | 'dry-run' | 'applied' | 'baselined';
  from?: VersionRef;
  to: VersionRef;
  /** The plan from the recorded version to the target (empty when up to date). */
  steps: PlannedStep[];
  /** After-commit steps of an earlier, interrupted run that this run finished first (or, on a dry run, would). */
  resumed: PlannedStep[];
  /** Differences between the live catalog and the history (refused unless allowed). */
  drift: CatalogDifference[];
  /** The history row written. */
  migrationId?: number;
}

const refOf = (v: { versionHash: string; commit?: string | null; ref?: string | null }): VersionRef => ({
  versionHash: v.versionHash,
  ...(v.commit ? { commit: v.commit } : {}),
  ...(v.ref ? { ref: v.ref } : {}),
});

/**
 * Migrates a PostgreSQL database to a registry version. Reads the recorded version from the history table
 * (creating it on first use), finishes an interrupted run's after-commit steps, refuses drift unless allowed,
 * then runs the plan: every transactional step in ONE transaction together with the history row, so a
 * failure leaves the database exactly as it was and names the step, its schema, its owner and the server's
 * error (`StepFailedError`); `CREATE INDEX CONCURRENTLY` and what depends on it after the commit, each
 * recorded, resumable. A run at the recorded version is a no-op. Holds an advisory lock throughout.
 *
 * @throws MigrateError (bad URL, unreachable, rights, busy, validation), DriftError, StepFailedError
 */
export async function applyMigration(options: ApplyOptions): Promise<ApplyResult> {
  assertValid(options.target);
  const client = await connectDatabase(options.databaseUrl);
  try {
    return await withMigrationLock(client, () => applyConnected(client, options));
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function readLatest(client: SqlClient): Promise<HistoryEntry | undefined> {
  try {
    return await latestMigration(client);
  } catch (error) {
    throw setupError('cannot read the migration history (aegis_migrations)', error);
  }
}

async function applyConnected(client: SqlClient, options: ApplyOptions): Promise<ApplyResult> {
  // A statement that cannot get its lock soon gives up (and rolls back) rather than queue the table's traffic.
  const lockTimeout = options.lockTimeout ?? MIGRATION_TIMEOUTS.lockTimeout;
  for (const setting of timeoutSettings({ ...MIGRATION_TIMEOUTS, lockTimeout })) await client.query(setting);
  let latest = await readLatest(client);
  let resumed: PlannedStep[] = [];
  if (latest?.status === 'partial') {
    resumed = await unfinishedSteps(client, latest.id);
    if (!options.dryRun) {
      await finishPartial(client, latest, resumed, options);
      latest = await readLatest(client);
    }
  }
  const drift = await detectDrift(client, latest, { ignoreTables: options.ignoreTables ?? [] }).catch(
    (error: unknown) => Promise.reject(setupError('cannot read the catalog', error)),
  );
  const plan = await planMigration(latest, options.target);
  const result: ApplyResult = {
    status: 'up-to-date',
    to: refOf(options.target),
    steps: plan.steps,
    resumed,
    drift,
    ...(latest ? { from: refOf(latest) } : {}),
  };
  if (options.dryRun) return { ...result, status: 'dry-run' };
  if (drift.length > 0 && !options.allowDrift) throw new DriftError(drift);
  if (plan.upToDate) return result;
  options.onPlan?.(plan.steps);
  const migrationId = await execute(client, plan.steps, options, { latest, drift });
  return { ...result, status: 'applied', migrationId };
}

/** Runs the after-commit steps an earlier run left pending, then stores the migration's catalog. */
async function finishPartial(
  client: SqlClient,
  entry: HistoryEntry,
  steps: PlannedStep[],
  { onProgress, ignoreTables: ignore }: ApplyOptions,
): Promise<void> {
  const context: RunContext = {
    total: await stepCount(client, entry.id),
    resumed: true,
    ...(onProgress ? { onProgress } : {}),
  };
  await runAfterCommitPhase(client, steps, context, afterCommitHooks(client, entry.id));
  await finishMigration(client, entry.id, await readCatalog(client, { exclude: unmanaged(ignore) }));
}

function afterCommitHooks(client: SqlClient, id: number): Parameters<typeof runAfterCommitPhase>[3] {
  return {
    record: (step, inTransaction) => markStep(client, id, step.position, { inTransaction }),
    fail: (step, error: StepFailedError) => markStep(client, id, step.position, { error: error.serverError }),
  };
}

/** The transaction (steps, history tables, history row, catalog when complete), then the after-commit steps. */
async function execute(
  client: SqlClient,
  steps: PlannedStep[],
  options: ApplyOptions,
  seen: { latest: HistoryEntry | undefined; drift: CatalogDifference[] },
): Promise<number> {
  const context: RunContext = {
    total: steps.length,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  const later = steps.filter((s) => s.phase === 'after-commit');
  const { target, ignoreTables: ignore } = options;
  let id = 0;
  await runTransactionPhase(
    client,
    steps.filter((s) => s.phase === 'transaction'),
    context,
    {
      before: () =>
        createHistoryTables(client).catch((error: unknown) =>
          Promise.reject(setupError('cannot create the history table aegis_migrations', error)),
        ),
      after: async () => {
        const entry = {
          versionHash: target.versionHash,
          commit: target.commit,
          ref: target.ref,
          baseVersionHash: seen.latest?.versionHash,
          appliedBy: options.appliedBy ?? defaultActor(),
          files: target.files,
          acceptedDrift: seen.drift,
        };
        try {
          id = await recordMigration(client, entry, steps);
          if (later.length === 0)
            await finishMigration(client, id, await readCatalog(client, { exclude: unmanaged(ignore) }));
        } catch (error) {
          throw setupError('cannot record the migration in aegis_migrations (everything was rolled back)', error);
        }
      },
    },
  );
  if (later.length > 0) {
    await runAfterCommitPhase(client, later, context, afterCommitHooks(client, id));
    await finishMigration(client, id, await readCatalog(client, { exclude: unmanaged(ignore) }));
  }
  return id;
}

/** `user@host` of the process: who ran the migration, when the caller does not say. */
export function defaultActor(): string {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry (some containers): keep 'unknown'
  }
  return `${user}@${os.hostname()}`;
}
