import { changePlan, createPlan } from '@aegis/core';
import { EMPTY_CATALOG, compareCatalogs, withoutTables, type Catalog, type CatalogDifference } from './catalog.js';
import type { SqlClient } from './connect-database.js';
import { unmanaged, type HistoryEntry } from './history-table.js';
import type { PlannedStep } from './planned-step.js';
import { readCatalog, tableMatcher } from './read-catalog.js';
import { registryVersionFromFiles, type RegistryVersion } from './registry-version.js';
import { splitPhases } from './split-phases.js';

/** Where a database is (its recorded version) and the plan that takes it to a target version. */
export interface MigrationPlan {
  /** The recorded version the plan starts from; undefined for a database never migrated (plan from empty). */
  base?: RegistryVersion;
  target: RegistryVersion;
  steps: PlannedStep[];
  /** The database already records the target version: nothing to do. */
  upToDate: boolean;
}

/** The registry version a history entry recorded (files unchanged in `reuse` are not parsed again). */
export function versionOf(entry: HistoryEntry, reuse?: RegistryVersion): Promise<RegistryVersion> {
  const about = {
    versionHash: entry.versionHash,
    ...(entry.commit ? { commit: entry.commit } : {}),
    ...(entry.ref ? { ref: entry.ref } : {}),
  };
  return registryVersionFromFiles(entry.files, about, reuse);
}

/**
 * The plan from the database's recorded version to `target`: the change plan from the recorded registry
 * (stored in the history, so no git history is needed), or the create plan when there is no history.
 * Each step carries its phase (see `splitPhases`).
 */
export async function planMigration(latest: HistoryEntry | undefined, target: RegistryVersion): Promise<MigrationPlan> {
  if (!latest) return { target, steps: splitPhases(createPlan(target.registry)), upToDate: false };
  const base = await versionOf(latest, target);
  const upToDate = latest.versionHash === target.versionHash && latest.status === 'applied';
  return { base, target, steps: upToDate ? [] : splitPhases(changePlan(base.registry, target.registry)), upToDate };
}

/**
 * How the live catalog differs from what the history says it should be: the catalog stored when the latest
 * version was applied, or an empty schema when there is no history. Empty while the latest migration is
 * partial (its baseline is stored when it completes). `ignoreTables` (names or `*` patterns) are left out on
 * both sides. `expected` replaces the stored baseline (for example
 * the recorded version's create plan built in a throwaway database). The tool's own history tables are left out.
 */
export async function detectDrift(
  client: SqlClient,
  latest: HistoryEntry | undefined,
  options: { expected?: Catalog; ignoreTables?: readonly string[] } = {},
): Promise<CatalogDifference[]> {
  const baseline = options.expected ?? (latest ? latest.catalog : EMPTY_CATALOG);
  if (!baseline) return [];
  const exclude = unmanaged(options.ignoreTables);
  const actual = await readCatalog(client, { exclude });
  return compareCatalogs(withoutTables(baseline, tableMatcher(exclude)), actual);
}
