import type { Catalog, CatalogDifference } from './catalog.js';
import type { SqlClient } from './connect-database.js';
import type { PlannedStep, StepPhase } from './planned-step.js';

/** The tables the tool owns in the migrated schema; catalogs and drift leave them out. */
export const HISTORY_TABLES = ['aegis_migrations', 'aegis_migration_steps'] as const;

/** What catalogs leave out: the history tables and the tables the caller says the registry does not manage. */
export const unmanaged = (ignoreTables: readonly string[] = []): string[] => [...HISTORY_TABLES, ...ignoreTables];

const CREATE_HISTORY = `
CREATE TABLE IF NOT EXISTS aegis_migrations (
  id bigserial PRIMARY KEY,
  version_hash text NOT NULL,
  commit text,
  ref text,
  base_version_hash text,
  status text NOT NULL CHECK (status IN ('applied', 'partial')),
  applied_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  applied_by text NOT NULL,
  database_user text NOT NULL DEFAULT current_user,
  registry_files jsonb NOT NULL,
  catalog jsonb,
  accepted_drift jsonb
);
CREATE TABLE IF NOT EXISTS aegis_migration_steps (
  migration_id bigint NOT NULL REFERENCES aegis_migrations (id) ON DELETE CASCADE,
  position integer NOT NULL,
  schema_name text NOT NULL,
  owner text NOT NULL,
  sql text NOT NULL,
  destructive boolean NOT NULL,
  transactional boolean NOT NULL,
  phase text NOT NULL CHECK (phase IN ('transaction', 'after-commit')),
  status text NOT NULL CHECK (status IN ('done', 'pending', 'failed')),
  finished_at timestamptz,
  error text,
  PRIMARY KEY (migration_id, position)
);`;

/** One applied (or partly applied) registry version, as the history table holds it. */
export interface HistoryEntry {
  id: number;
  versionHash: string;
  commit: string | null;
  ref: string | null;
  /** `partial`: the transaction committed but after-commit steps remain (resume with apply). */
  status: 'applied' | 'partial';
  appliedAt: Date;
  appliedBy: string;
  databaseUser: string;
  /** The registry's files at that version (path → text): the base the next plan starts from. */
  files: Record<string, string>;
  /** The catalog right after this version was applied: the drift baseline (null while partial). */
  catalog: Catalog | null;
}

/** A migration about to be recorded. */
export interface NewHistoryEntry {
  versionHash: string;
  commit?: string;
  ref?: string;
  baseVersionHash?: string;
  appliedBy: string;
  files: Record<string, string>;
  acceptedDrift: CatalogDifference[];
}

/** Whether the history table exists in the connection's current schema. */
export async function historyExists(client: SqlClient): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>(`SELECT to_regclass('aegis_migrations') IS NOT NULL AS ok`);
  return rows[0]?.ok === true;
}

/** Creates the history tables when missing; run inside the migration's transaction so a failure leaves none. */
export async function createHistoryTables(client: SqlClient): Promise<void> {
  await client.query(CREATE_HISTORY);
}

interface EntryRow {
  id: string;
  version_hash: string;
  commit: string | null;
  ref: string | null;
  status: 'applied' | 'partial';
  applied_at: Date;
  applied_by: string;
  database_user: string;
  registry_files: Record<string, string>;
  catalog: Catalog | null;
}

/** The most recent history entry, or undefined when the database has no history (never migrated). */
export async function latestMigration(client: SqlClient): Promise<HistoryEntry | undefined> {
  if (!(await historyExists(client))) return undefined;
  const { rows } = await client.query<EntryRow>(
    `SELECT id, version_hash, commit, ref, status, applied_at, applied_by, database_user, registry_files, catalog
       FROM aegis_migrations ORDER BY id DESC LIMIT 1`,
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    id: Number(row.id),
    versionHash: row.version_hash,
    commit: row.commit,
    ref: row.ref,
    status: row.status,
    appliedAt: row.applied_at,
    appliedBy: row.applied_by,
    databaseUser: row.database_user,
    files: row.registry_files,
    catalog: row.catalog,
  };
}

/** Records a migration and all its steps (transaction steps as done, after-commit ones as pending); returns its id. */
export async function recordMigration(
  client: SqlClient,
  entry: NewHistoryEntry,
  steps: readonly PlannedStep[],
): Promise<number> {
  const pending = steps.some((s) => s.phase === 'after-commit');
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO aegis_migrations (version_hash, commit, ref, base_version_hash, status, applied_by, registry_files, accepted_drift)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [
      entry.versionHash,
      entry.commit ?? null,
      entry.ref ?? null,
      entry.baseVersionHash ?? null,
      pending ? 'partial' : 'applied',
      entry.appliedBy,
      JSON.stringify(entry.files),
      entry.acceptedDrift.length ? JSON.stringify(entry.acceptedDrift) : null,
    ],
  );
  const id = Number(rows[0]?.id);
  const records = steps.map((s) => ({
    position: s.position,
    schema_name: s.schema,
    owner: s.owner,
    sql: s.sql,
    destructive: s.destructive,
    transactional: s.transactional,
    phase: s.phase,
  }));
  await client.query(
    `INSERT INTO aegis_migration_steps (migration_id, position, schema_name, owner, sql, destructive, transactional, phase, status, finished_at)
     SELECT $1, x.position, x.schema_name, x.owner, x.sql, x.destructive, x.transactional, x.phase,
            CASE WHEN x.phase = 'transaction' THEN 'done' ELSE 'pending' END,
            CASE WHEN x.phase = 'transaction' THEN now() END
       FROM jsonb_to_recordset($2::jsonb) AS x(position integer, schema_name text, owner text, sql text, destructive boolean, transactional boolean, phase text)`,
    [id, JSON.stringify(records)],
  );
  return id;
}

/** The after-commit steps of a migration not yet done, in plan order. */
export async function unfinishedSteps(client: SqlClient, migrationId: number): Promise<PlannedStep[]> {
  const { rows } = await client.query<{
    position: number;
    schema_name: string;
    owner: string;
    sql: string;
    destructive: boolean;
    transactional: boolean;
    phase: StepPhase;
  }>(
    `SELECT position, schema_name, owner, sql, destructive, transactional, phase FROM aegis_migration_steps
      WHERE migration_id = $1 AND status <> 'done' ORDER BY position`,
    [migrationId],
  );
  return rows.map((r) => ({
    position: r.position,
    schema: r.schema_name,
    owner: r.owner,
    sql: r.sql,
    destructive: r.destructive,
    phase: r.phase,
    transactional: r.transactional,
  }));
}

/**
 * Marks one after-commit step done or failed (with the server's error), in the caller's transaction when
 * `inTransaction` (the step's own), else in a small one of its own. The record is committed without
 * waiting for the WAL flush: if a crash loses it, the next run finds the step's index already valid (or
 * invalid, and rebuilds it) and the DROP INDEX steps are IF EXISTS, so a lost record only repeats a no-op.
 * The migration's closing row (`finishMigration`) is committed durably and flushes these with it.
 */
export async function markStep(
  client: SqlClient,
  migrationId: number,
  position: number,
  options: { error?: string; inTransaction?: boolean } = {},
): Promise<void> {
  const update = async (): Promise<void> => {
    await client.query('SET LOCAL synchronous_commit TO off');
    await client.query(
      `UPDATE aegis_migration_steps SET status = $3, error = $4, finished_at = now() WHERE migration_id = $1 AND position = $2`,
      [migrationId, position, options.error === undefined ? 'done' : 'failed', options.error ?? null],
    );
  };
  if (options.inTransaction) return update();
  await client.query('BEGIN');
  try {
    await update();
    await client.query('COMMIT');
  } catch (failure) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw failure;
  }
}

/** Closes a migration: every step done, the catalog stored as the drift baseline for the next run. */
export async function finishMigration(client: SqlClient, migrationId: number, catalog: Catalog): Promise<void> {
  await client.query(
    `UPDATE aegis_migrations SET status = 'applied', finished_at = now(), catalog = $2 WHERE id = $1`,
    [migrationId, JSON.stringify(catalog)],
  );
}

/** The total number of steps a migration recorded (for "step N of M" while resuming). */
export async function stepCount(client: SqlClient, migrationId: number): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM aegis_migration_steps WHERE migration_id = $1`,
    [migrationId],
  );
  return Number(rows[0]?.n ?? 0);
}
