import { connectDatabase } from './connect-database.js';
import { latestMigration } from './history-table.js';
import { versionOf } from './migration-plan.js';
import type { RegistryVersion } from './registry-version.js';
import { setupError } from './server-error.js';

/** The registry version a database's history records last, or undefined when it was never migrated. */
export async function recordedVersion(databaseUrl: string): Promise<RegistryVersion | undefined> {
  const client = await connectDatabase(databaseUrl);
  try {
    const latest = await latestMigration(client).catch((error: unknown) =>
      Promise.reject(setupError('cannot read the migration history', error)),
    );
    return latest ? await versionOf(latest) : undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}
