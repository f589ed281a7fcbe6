import { createRequire } from 'node:module';
import { ADMIN_URL, databaseUrl } from './postgres-admin.js';

/** The slice of `pg.Client` tests use (the test package carries no @types/pg). */
export interface SqlClient {
  connect(): Promise<void>;
  query<R = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<{ rows: R[] }>;
  end(): Promise<void>;
}
type ClientClass = new (options: { connectionString: string }) => SqlClient;
const pg = createRequire(import.meta.url)('pg') as { Client: ClientClass };

/** Connects a client to a URL. */
export async function connect(url: string): Promise<SqlClient> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** A fresh database for one test: its URL, a client on it, and `drop()` (call it in `finally` or `afterEach`). */
export interface TestDatabase {
  name: string;
  url: string;
  client: SqlClient;
  drop(): Promise<void>;
}

let counter = 0;

/** Creates a database named `prefix`, the process and a counter on the local PostgreSQL, and connects to it. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = `${prefix}${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = await connect(ADMIN_URL);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = databaseUrl(name);
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
