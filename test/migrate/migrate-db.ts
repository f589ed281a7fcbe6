import { createRequire } from 'node:module';
import { ADMIN_URL } from '../helpers/postgres-admin.js';

export { ADMIN_URL };

/** The slice of `pg.Client` these tests use (the test package carries no @types/pg). */
export interface SqlClient {
  connect(): Promise<void>;
  query<R = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<{ rows: R[] }>;
  end(): Promise<void>;
}
type ClientClass = new (options: { connectionString: string }) => SqlClient;
const pg = createRequire(import.meta.url)('pg') as { Client: ClientClass };

let counter = 0;

/** The same server, another database (and optionally another user). */
export function urlFor(database: string, user?: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  if (user) url.username = user;
  return url.toString();
}

/** Connects a client to a URL. */
export async function connect(url: string): Promise<SqlClient> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** A fresh database for one test: its URL, a client on it, and `drop()` (call it in afterEach). */
export interface TestDatabase {
  name: string;
  url: string;
  client: SqlClient;
  drop(): Promise<void>;
}

/** Creates a uniquely named database on the local server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `aegis_migrate_t${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = await connect(ADMIN_URL);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = urlFor(name);
  const client = await connect(url);
  return {
    name,
    url,
    client,
    drop: async () => {
      await client.end().catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
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
