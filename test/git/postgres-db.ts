import type { MigrationStep } from '@aegis/core';
import type { SqlClient } from '../helpers/test-database.js';

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
