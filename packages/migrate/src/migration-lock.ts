import type { SqlClient } from './connect-database.js';
import { MigrateError } from './errors.js';
import { setupError } from './server-error.js';

// One key per schema: two applies to the same schema exclude each other, other schemas are not held up.
const LOCK_KEY = `hashtext('aegis migrate:' || current_schema())`;

/**
 * Runs `work` holding a session advisory lock, so two `apply` runs against one schema never interleave.
 * A second run does not wait: it stops at once with a `busy` error (the first may take long).
 */
export async function withMigrationLock<T>(client: SqlClient, work: () => Promise<T>): Promise<T> {
  let locked: boolean;
  try {
    const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${LOCK_KEY}) AS ok`);
    locked = rows[0]?.ok === true;
  } catch (error) {
    throw setupError('cannot take the migration lock', error);
  }
  if (!locked)
    throw new MigrateError(
      'busy',
      'another aegis migrate apply is running against this database schema; wait for it to finish and run again.',
    );
  try {
    return await work();
  } finally {
    await client.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`).catch(() => undefined);
  }
}
