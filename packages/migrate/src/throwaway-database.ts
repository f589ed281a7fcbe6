import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { connectDatabase, urlForDatabase } from './connect-database.js';
import { setupError } from './server-error.js';

/** A database made for one check on the server of a URL; `drop()` removes it whatever happened. */
export interface ThrowawayDatabase {
  name: string;
  client: pg.Client;
  drop(): Promise<void>;
}

/**
 * Creates a uniquely named database on the server `url` points at (the role needs CREATEDB) and connects to
 * it. The caller must `drop()` it in a `finally`.
 */
export async function createThrowawayDatabase(url: string, prefix = 'aegis_verify'): Promise<ThrowawayDatabase> {
  const admin = await connectDatabase(url);
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    await admin.end().catch(() => undefined);
    throw setupError(`cannot create a throwaway database on ${new URL(url).host}`, error);
  }
  const drop = async (): Promise<void> => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  };
  try {
    const client = await connectDatabase(urlForDatabase(url, name));
    return {
      name,
      client,
      drop: async () => {
        await client.end().catch(() => undefined);
        await drop();
      },
    };
  } catch (error) {
    await drop();
    throw error;
  }
}
