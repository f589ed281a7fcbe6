import { createRequire } from 'node:module';
import type { MigrationStep } from '@aegis/core';
import { ADMIN_URL } from '../helpers/postgres-admin.js';

/** The slice of `pg.Client` these tests use (the test package carries no @types/pg). */
export interface SqlClient {
  connect(): Promise<void>;
  query<R = Record<string, unknown>>(sql: string): Promise<{ rows: R[] }>;
  end(): Promise<void>;
}
type ClientClass = new (options: { connectionString: string }) => SqlClient;
const pg = createRequire(import.meta.url)('pg') as { Client: ClientClass };

let counter = 0;

/** A throwaway database on the local PostgreSQL; `drop()` removes it (call it in `finally`/`afterEach`). */
export interface TempDatabase {
  name: string;
  client: SqlClient;
  drop(): Promise<void>;
}

/** Creates a fresh, uniquely named database and connects to it. */
export async function createTempDatabase(): Promise<TempDatabase> {
  const name = `aegis_git_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  return {
    name,
    client,
    drop: async () => {
      await client.end().catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/**
 * Runs steps as `renderSqlScript` lays them out: consecutive transactional steps in one transaction, the
 * others alone. A step marked transactional that PostgreSQL refuses in a transaction fails the run.
 */
export async function applySteps(client: SqlClient, steps: readonly MigrationStep[]): Promise<void> {
  let open = false;
  for (const step of steps) {
    if (step.transactional && !open) await client.query('BEGIN');
    if (!step.transactional && open) await client.query('COMMIT');
    open = step.transactional;
    try {
      await client.query(step.sql);
    } catch (error) {
      if (open) await client.query('ROLLBACK');
      throw new Error(`${step.schema}: ${(error as Error).message}\n${step.sql}`);
    }
  }
  if (open) await client.query('COMMIT');
}

/** The parts of the catalog a schema registry decides, as sorted text lines, for comparison. */
export async function readCatalog(
  client: SqlClient,
): Promise<{ columns: string[]; constraints: string[]; indexes: string[] }> {
  const columns = await client.query<{ line: string }>(`
    SELECT c.table_name || '.' || c.column_name || ' ' || format_type(a.atttypid, a.atttypmod) ||
           CASE WHEN c.is_nullable = 'NO' THEN ' NOT NULL' ELSE '' END ||
           COALESCE(' DEFAULT ' || c.column_default, '') AS line
      FROM information_schema.columns c
      JOIN pg_attribute a ON a.attrelid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass
                         AND a.attname = c.column_name
     WHERE c.table_schema = 'public'
     ORDER BY 1`);
  const constraints = await client.query<{ line: string }>(`
    SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) ||
           CASE WHEN convalidated THEN '' ELSE ' (not validated)' END AS line
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1`);
  const indexes = await client.query<{ line: string }>(`
    SELECT i.indexdef || CASE WHEN x.indisvalid THEN '' ELSE ' (invalid)' END AS line
      FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname AND c.relnamespace = 'public'::regnamespace
      JOIN pg_index x ON x.indexrelid = c.oid
     WHERE i.schemaname = 'public' ORDER BY 1`);
  return {
    columns: columns.rows.map((r) => r.line),
    constraints: constraints.rows.map((r) => r.line),
    indexes: indexes.rows.map((r) => r.line),
  };
}
