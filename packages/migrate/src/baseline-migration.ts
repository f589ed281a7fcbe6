import type { ApplyOptions, ApplyResult } from './apply-migration.js';
import { defaultActor } from './apply-migration.js';
import { createPlanCatalog } from './build-in-schema.js';
import { compareCatalogs } from './catalog.js';
import { connectDatabase } from './connect-database.js';
import { DriftError } from './drift-error.js';
import { MigrateError } from './errors.js';
import { createHistoryTables, finishMigration, latestMigration, recordMigration, unmanaged } from './history-table.js';
import { withMigrationLock } from './migration-lock.js';
import { readCatalog } from './read-catalog.js';
import { assertValid } from './registry-version.js';
import { runTransactionPhase } from './run-steps.js';
import { setupError } from './server-error.js';

/**
 * Adopts a database built before aegis managed it: when its tables already match the target version's create
 * plan (built in a throwaway database on the same server, so the role needs CREATEDB), records that version
 * in a new history with no steps, and later applies start from it. A database that already has history is
 * refused; differences are refused as drift unless `allowDrift` (then recorded as accepted).
 */
export async function baselineMigration(options: Omit<ApplyOptions, 'dryRun' | 'onProgress'>): Promise<ApplyResult> {
  assertValid(options.target);
  const client = await connectDatabase(options.databaseUrl);
  try {
    return await withMigrationLock(client, async () => {
      const latest = await latestMigration(client).catch((error: unknown) =>
        Promise.reject(setupError('cannot read the migration history', error)),
      );
      if (latest)
        throw new MigrateError(
          'history',
          `the database already records version ${latest.versionHash.slice(0, 12)} (${latest.status}); --baseline is only for a database aegis never migrated. Use apply.`,
        );
      const expected = await createPlanCatalog(options.databaseUrl, options.target);
      const live = await readCatalog(client, { exclude: unmanaged(options.ignoreTables) });
      const drift = compareCatalogs(expected, live);
      if (drift.length > 0 && !options.allowDrift) throw new DriftError(drift);
      const { target } = options;
      let migrationId = 0;
      await runTransactionPhase(
        client,
        [],
        { total: 0 },
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
              appliedBy: options.appliedBy ?? defaultActor(),
              files: target.files,
              acceptedDrift: drift,
            };
            migrationId = await recordMigration(client, entry, []);
            await finishMigration(client, migrationId, live);
          },
        },
      );
      const to = {
        versionHash: target.versionHash,
        ...(target.commit ? { commit: target.commit } : {}),
        ...(target.ref ? { ref: target.ref } : {}),
      };
      return { status: 'baselined', to, steps: [], resumed: [], drift, migrationId };
    });
  } finally {
    await client.end().catch(() => undefined);
  }
}
