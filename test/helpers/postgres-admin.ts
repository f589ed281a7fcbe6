import { createRequire } from 'node:module';

/** The machine's PostgreSQL as the tests' administrator (trust auth); `AEGIS_TEST_PG_URL` overrides it. */
export const ADMIN_URL = process.env['AEGIS_TEST_PG_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/test';

/** The slice of `pg.Client` used here (the test package carries no @types/pg). */
interface AdminClient {
  connect(): Promise<void>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
}
const pg = createRequire(import.meta.url)('pg') as { Client: new (o: { connectionString: string }) => AdminClient };

/** Runs one statement as the administrator (`CREATE DATABASE …`, `DROP DATABASE … WITH (FORCE)`). */
export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The URL of another database on the same server. */
export function databaseUrl(database: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}
