import {
  applyMigration,
  compareCatalogs,
  createPlanCatalog,
  HISTORY_TABLES,
  readCatalog,
  registryVersionFromFiles,
  type ApplyResult,
  type CatalogDifference,
} from '@aegis/migrate';
import type { SqlClient } from './migrate-db.js';

/** A registry as files: schema name → YAML text (stored under `.kiro/schemas/`). */
export type Schemas = Record<string, string>;

let versions = 0;

/** `aegis migrate apply` of a registry held in memory, recorded under a fresh version hash. */
export async function applySchemas(url: string, schemas: Schemas): Promise<ApplyResult> {
  const files = Object.fromEntries(Object.entries(schemas).map(([n, t]) => [`.kiro/schemas/${n}.yaml`, t]));
  const target = await registryVersionFromFiles(files, { versionHash: `v${process.pid}-${versions++}` });
  return applyMigration({ databaseUrl: url, target, appliedBy: 'test-runner' });
}

/** How the database's catalog differs from a fresh create of `schemas` (empty when they match). */
export async function differencesFromCreate(
  url: string,
  client: SqlClient,
  schemas: Schemas,
): Promise<CatalogDifference[]> {
  const files = Object.fromEntries(Object.entries(schemas).map(([n, t]) => [`.kiro/schemas/${n}.yaml`, t]));
  const expected = await createPlanCatalog(url, await registryVersionFromFiles(files, { versionHash: 'expected' }));
  const actual = await readCatalog(client, { exclude: [...HISTORY_TABLES] });
  return compareCatalogs(expected, actual);
}

/** Every row of a table as text (ordered), to prove data did or did not change. */
export async function rowsOf(client: SqlClient, table: string): Promise<string[]> {
  const { rows } = await client.query<{ r: string }>(`SELECT t::text AS r FROM ${table} t ORDER BY 1`);
  return rows.map((r) => r.r);
}

/** The recorded migrations, newest last. */
export async function history(client: SqlClient): Promise<string[]> {
  const { rows } = await client.query<{ h: string }>(
    "SELECT version_hash || ' ' || status AS h FROM aegis_migrations ORDER BY id",
  );
  return rows.map((r) => r.h);
}

/** A schema file with the given column lines (and optional extra sections). */
export function schemaText(name: string, version: string, columns: string[], extra: string[] = []): string {
  return [`name: ${name}`, `owner: ${name}-service`, `version: ${version}`, 'columns:', ...columns, ...extra, ''].join(
    '\n',
  );
}
