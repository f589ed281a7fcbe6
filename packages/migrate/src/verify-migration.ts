import { changePlan, createPlan, type MigrationStep } from '@aegis/core';
import { compareCatalogs, type Catalog, type CatalogDifference } from './catalog.js';
import type { SqlClient } from './connect-database.js';
import type { PlannedStep, ProgressListener } from './planned-step.js';
import { MigrateError } from './errors.js';
import { readCatalog } from './read-catalog.js';
import { assertValid, type RegistryVersion } from './registry-version.js';
import { buildInSchema, runPlan } from './build-in-schema.js';
import { splitPhases } from './split-phases.js';
import { StepFailedError } from './step-failed-error.js';
import { createThrowawayDatabase } from './throwaway-database.js';

/** Options of `verifyMigration`. */
export interface VerifyOptions {
  /** Any database on the server to use; the check runs in a throwaway database beside it. */
  databaseUrl: string;
  /** The version the change starts from; undefined: from an empty database. */
  base?: RegistryVersion;
  head: RegistryVersion;
  /**
   * The change to prove, when it is not the generated plan: for example a script edited by hand from
   * `aegis migrate --format json`. Default: `changePlan(base, head)` (or HEAD's create plan without a base).
   */
  plan?: readonly MigrationStep[];
  onProgress?: ProgressListener;
}

/** What `verifyMigration` found. */
export interface VerifyResult {
  /** The change plan ran and gave exactly HEAD's catalog. */
  ok: boolean;
  /** The change plan that was proven (or failed). */
  steps: PlannedStep[];
  /** Where the change plan's catalog differs from HEAD's create plan's (expected = HEAD). */
  differences: CatalogDifference[];
  /** The step of the change plan the server refused, as one line. */
  failure?: string;
  /** The throwaway database's name (already dropped). */
  database: string;
}

/** BASE's tables in the schema `aegis_change` (left as the search_path); BASE's own plan failing is a setup error. */
async function buildBase(client: SqlClient, base: RegistryVersion | undefined): Promise<void> {
  try {
    await buildInSchema(client, 'aegis_change', base ? [createPlan(base.registry)] : []);
  } catch (error) {
    if (error instanceof StepFailedError) throw new MigrateError('registry', `the create plan of BASE ${base?.ref ?? ''} does not run: ${error.message}`);
    throw error;
  }
}

/**
 * Proves a change before it merges: in a throwaway database on the server of `databaseUrl`, builds BASE
 * with its create plan and runs the change plan BASE → HEAD in one schema, builds HEAD with its create plan
 * in another, and compares the two catalogs. The database is dropped whatever happens. A change step the
 * server refuses, or any catalog difference, makes `ok` false.
 *
 * @throws MigrateError for setup problems (URL, server, no CREATEDB right, BASE's own create plan failing)
 */
export async function verifyMigration(options: VerifyOptions): Promise<VerifyResult> {
  assertValid(options.head);
  const steps = splitPhases(options.plan ?? (options.base ? changePlan(options.base.registry, options.head.registry) : createPlan(options.head.registry)));
  const db = await createThrowawayDatabase(options.databaseUrl);
  try {
    await buildBase(db.client, options.base);
    let changed: Catalog;
    try {
      await runPlan(db.client, steps, options.onProgress);
      changed = await readCatalog(db.client, { schema: 'aegis_change' });
    } catch (error) {
      if (!(error instanceof StepFailedError)) throw error;
      return { ok: false, steps, differences: [], failure: error.message.replace(/\. (Everything was rolled back|The transaction had committed).*$/, ''), database: db.name };
    }
    const expected = await buildInSchema(db.client, 'aegis_head', [createPlan(options.head.registry)]);
    const differences = compareCatalogs(expected, changed);
    return { ok: differences.length === 0, steps, differences, database: db.name };
  } finally {
    await db.drop();
  }
}
