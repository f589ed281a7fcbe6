import { createPlan, type MigrationStep } from '@aegis/core';
import type { Catalog } from './catalog.js';
import type { SqlClient } from './connect-database.js';
import type { PlannedStep, ProgressListener } from './planned-step.js';
import { readCatalog } from './read-catalog.js';
import type { RegistryVersion } from './registry-version.js';
import { runAfterCommitPhase, runTransactionPhase } from './run-steps.js';
import { splitPhases } from './split-phases.js';
import { createThrowawayDatabase } from './throwaway-database.js';

/** Runs a plan as apply would, without history: the transaction phase, then the after-commit steps. */
export async function runPlan(client: SqlClient, steps: PlannedStep[], onProgress?: ProgressListener): Promise<void> {
  const context = { total: steps.length, ...(onProgress ? { onProgress } : {}) };
  await runTransactionPhase(
    client,
    steps.filter((s) => s.phase === 'transaction'),
    context,
  );
  await runAfterCommitPhase(
    client,
    steps.filter((s) => s.phase === 'after-commit'),
    context,
    { record: async () => undefined, fail: async () => undefined },
  );
}

/**
 * Creates a PostgreSQL schema, makes it the search_path (unqualified names in the plans land there, and the
 * catalog prints names as the plans wrote them), runs the plans in it and reads its catalog.
 */
export async function buildInSchema(
  client: SqlClient,
  schema: string,
  plans: MigrationStep[][],
  onProgress?: ProgressListener,
): Promise<Catalog> {
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(`SET search_path TO ${schema}`);
  for (const plan of plans) await runPlan(client, splitPhases(plan), onProgress);
  return readCatalog(client, { schema });
}

/**
 * The catalog a registry version's create plan yields, built in a throwaway database on the server of
 * `databaseUrl` (dropped afterwards): what a database at that version should look like, independent of any
 * snapshot.
 */
export async function createPlanCatalog(databaseUrl: string, version: RegistryVersion): Promise<Catalog> {
  const db = await createThrowawayDatabase(databaseUrl, 'aegis_expected');
  try {
    return await buildInSchema(db.client, 'aegis_expected', [createPlan(version.registry)]);
  } finally {
    await db.drop();
  }
}
