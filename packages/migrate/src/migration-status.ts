import { connectDatabase } from './connect-database.js';
import { latestMigration, unfinishedSteps, type HistoryEntry } from './history-table.js';
import { createPlanCatalog } from './build-in-schema.js';
import { EMPTY_CATALOG, type CatalogDifference } from './catalog.js';
import { detectDrift, planMigration, versionOf } from './migration-plan.js';
import type { PlannedStep } from './planned-step.js';
import type { RegistryVersion } from './registry-version.js';
import { setupError } from './server-error.js';

/** Options of `migrationStatus`. */
export interface StatusOptions {
  databaseUrl: string;
  /** The version to compare with (pending steps); without it only the recorded version and drift. */
  target?: RegistryVersion;
  /**
   * Compare the live catalog with the recorded version's create plan built in a throwaway database (the role
   * needs CREATEDB) instead of the snapshot stored at apply time: also catches a change plan that drifted
   * from a fresh create, or drift accepted earlier with --allow-drift.
   */
  rebuild?: boolean;
  /** Tables the registry does not manage (names or `*` patterns): left out of the drift check. */
  ignoreTables?: string[];
}

/** Where a database stands. */
export interface MigrationStatus {
  /** The latest history entry (without the stored files and catalog), or undefined when never migrated. */
  current?: Omit<HistoryEntry, 'files' | 'catalog'>;
  /** After-commit steps an interrupted run left; the next apply runs them first. */
  unfinished: PlannedStep[];
  /** The plan to the target (empty without a target or when up to date). */
  pending: PlannedStep[];
  /** The target is recorded and complete. Undefined without a target. */
  upToDate?: boolean;
  drift: CatalogDifference[];
}

/** Reads the recorded version, unfinished steps, the plan to `target` and drift. Changes nothing. */
export async function migrationStatus(options: StatusOptions): Promise<MigrationStatus> {
  const client = await connectDatabase(options.databaseUrl);
  try {
    const latest = await latestMigration(client).catch((error: unknown) =>
      Promise.reject(setupError('cannot read the migration history', error)),
    );
    const unfinished = latest?.status === 'partial' ? await unfinishedSteps(client, latest.id) : [];
    const expected = options.rebuild
      ? latest
        ? await createPlanCatalog(options.databaseUrl, await versionOf(latest))
        : EMPTY_CATALOG
      : undefined;
    const drift = await detectDrift(client, latest, {
      ...(expected ? { expected } : {}),
      ignoreTables: options.ignoreTables ?? [],
    }).catch((error: unknown) => Promise.reject(setupError('cannot read the catalog', error)));
    const status: MigrationStatus = { unfinished, pending: [], drift };
    if (latest) {
      status.current = {
        id: latest.id,
        versionHash: latest.versionHash,
        commit: latest.commit,
        ref: latest.ref,
        status: latest.status,
        appliedAt: latest.appliedAt,
        appliedBy: latest.appliedBy,
        databaseUser: latest.databaseUser,
      };
    }
    if (options.target) {
      const plan = await planMigration(latest, options.target);
      status.pending = plan.steps;
      status.upToDate = plan.upToDate;
    }
    return status;
  } finally {
    await client.end().catch(() => undefined);
  }
}
