import { ADMIN_URL } from '../helpers/postgres-admin.js';
import {
  connect,
  createTestDatabase as createDatabase,
  type SqlClient,
  type TestDatabase,
} from '../helpers/test-database.js';

export { ADMIN_URL, connect };
export type { SqlClient, TestDatabase } from '../helpers/test-database.js';

/** The same server, another database (and optionally another user). */
export function urlFor(database: string, user?: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  if (user) url.username = user;
  return url.toString();
}

/** Creates a uniquely named database on the local server. */
export function createTestDatabase(): Promise<TestDatabase> {
  return createDatabase('aegis_migrate_t');
}

/** Names of the ordinary tables in the public schema, sorted. */
export async function tableNames(client: SqlClient): Promise<string[]> {
  const { rows } = await client.query<{ t: string }>(
    `SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
  );
  return rows.map((r) => r.t);
}

/** Databases on the server whose name starts with a prefix (to prove throwaway ones were dropped). */
export async function databasesLike(prefix: string): Promise<string[]> {
  const admin = await connect(ADMIN_URL);
  try {
    const { rows } = await admin.query<{ d: string }>(`SELECT datname AS d FROM pg_database WHERE datname LIKE $1`, [
      `${prefix}%`,
    ]);
    return rows.map((r) => r.d);
  } finally {
    await admin.end();
  }
}
