import { randomBytes } from 'node:crypto';
import { changePlan, createPlan, type MigrationStep } from '@aegis/core';
import { buildInSchema, runPlan } from './build-in-schema.js';
import { compareCatalogs, type Catalog, type CatalogDifference } from './catalog.js';
import { connectDatabase, type SqlClient } from './connect-database.js';
import { MigrateError } from './errors.js';
import type { PlannedStep, ProgressListener } from './planned-step.js';
import { readCatalog } from './read-catalog.js';
import { assertValid, type RegistryVersion } from './registry-version.js';
import { setupError } from './server-error.js';
import { splitPhases } from './split-phases.js';
import { StepFailedError } from './step-failed-error.js';
import { createThrowawayDatabase } from './throwaway-database.js';

/** Options of `verifyMigration`. */
export interface VerifyOptions {
  /** A database on the server to use; the check runs in a throwaway database beside it (or in it: `scratch`). */
  databaseUrl: string;
  /** The version the change starts from; undefined: from an empty database. */
  base?: RegistryVersion;
  head: RegistryVersion;
  /**
   * The change to prove, when it is not the generated plan: for example a script edited by hand from
   * `aegis migrate --format json`. Default: `changePlan(base, head)` (or HEAD's create plan without a base).
   */
  plan?: readonly MigrationStep[];
  /**
   * `database` (default): a throwaway database beside the URL's (needs CREATEDB). `schemas`: two throwaway
   * schemas inside the URL's database, dropped afterwards (needs CREATE on that database) — for servers
   * where the role may not create databases.
   */
  scratch?: 'database' | 'schemas';
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
  /** The database the check ran in (a throwaway one is already dropped). */
  database: string;
  /** The two schemas it built: the change, and HEAD's create plan (already dropped). */
  schemas: [string, string];
}

/** Where a check builds its two schemas, and how to clean up. */
interface Scratch {
  client: SqlClient;
  database: string;
  change: string;
  head: string;
  drop(): Promise<void>;
}

async function openScratch(options: VerifyOptions): Promise<Scratch> {
  if (options.scratch !== 'schemas') {
    const db = await createThrowawayDatabase(options.databaseUrl);
    return { client: db.client, database: db.name, change: 'aegis_change', head: 'aegis_head', drop: () => db.drop() };
  }
  const client = await connectDatabase(options.databaseUrl);
  const prefix = `aegis_verify_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const [change, head] = [`${prefix}_change`, `${prefix}_head`];
  const database = (await client.query<{ d: string }>('SELECT current_database() AS d')).rows[0]?.d ?? '';
  return {
    client,
    database,
    change,
    head,
    drop: async () => {
      await client.query(`DROP SCHEMA IF EXISTS ${change}, ${head} CASCADE`).catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}

/** BASE's tables in the change schema (left as the search_path); BASE's own plan failing is a setup error. */
async function buildBase(client: SqlClient, schema: string, base: RegistryVersion | undefined): Promise<void> {
  try {
    await buildInSchema(client, schema, base ? [createPlan(base.registry)] : []);
  } catch (error) {
    if (!(error instanceof StepFailedError)) throw setupError(`cannot build BASE in schema ${schema}`, error);
    if (error instanceof StepFailedError)
      throw new MigrateError('registry', `the create plan of BASE ${base?.ref ?? ''} does not run: ${error.message}`);
    throw error;
  }
}

/**
 * Proves a change before it merges: in a throwaway database on the server of `databaseUrl` (or, with
 * `scratch: 'schemas'`, in two throwaway schemas of that database), builds BASE
 * with its create plan and runs the change plan BASE → HEAD in one schema, builds HEAD with its create plan
 * in another, and compares the two catalogs. The database is dropped whatever happens. A change step the
 * server refuses, or any catalog difference, makes `ok` false.
 *
 * @throws MigrateError for setup problems (URL, server, no CREATEDB right, BASE's own create plan failing)
 */
export async function verifyMigration(options: VerifyOptions): Promise<VerifyResult> {
  assertValid(options.head);
  const steps = splitPhases(
    options.plan ??
      (options.base ? changePlan(options.base.registry, options.head.registry) : createPlan(options.head.registry)),
  );
  const scratch = await openScratch(options);
  const where = { database: scratch.database, schemas: [scratch.change, scratch.head] as [string, string] };
  try {
    await buildBase(scratch.client, scratch.change, options.base);
    let changed: Catalog;
    try {
      await runPlan(scratch.client, steps, options.onProgress);
      changed = await readCatalog(scratch.client, { schema: scratch.change });
    } catch (error) {
      if (!(error instanceof StepFailedError)) throw error;
      return {
        ok: false,
        steps,
        differences: [],
        failure: error.message.replace(/\. (Everything was rolled back|The transaction had committed).*$/, ''),
        ...where,
      };
    }
    const expected = await buildInSchema(scratch.client, scratch.head, [createPlan(options.head.registry)]);
    const differences = compareCatalogs(expected, changed);
    return { ok: differences.length === 0, steps, differences, ...where };
  } finally {
    await scratch.drop();
  }
}
