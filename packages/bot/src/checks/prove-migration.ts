import type { Registry } from '@aegis/core';
import { formatDifference, verifyMigration } from '@aegis/migrate';

/** What `aegis/validate` says about the change's SQL when the app has a verification database. */
export interface MigrationProof {
  ok: boolean;
  /** Markdown for the check summary. */
  summary: string;
}

/** Differences listed in the summary; the rest are counted. */
const MAX_DIFFERENCES = 20;

/**
 * Runs the change plan BASE → HEAD on a throwaway database of the server at `databaseUrl` and compares the
 * result with HEAD created from empty (`aegis migrate verify`), so a plan PostgreSQL refuses, or one that does
 * not reach HEAD's tables, fails the check before it merges. The throwaway database is always dropped.
 */
export async function proveMigration(databaseUrl: string, base: Registry, head: Registry): Promise<MigrationProof> {
  // verifyMigration plans from the registries alone; the ref names what its messages talk about.
  const version = (registry: Registry, ref: string) => ({ registry, ref, files: {}, versionHash: '' });
  try {
    const result = await verifyMigration({
      databaseUrl,
      base: version(base, 'the base branch'),
      head: version(head, 'this pull request'),
    });
    const statements = `${result.steps.length} statement${result.steps.length === 1 ? '' : 's'}`;
    if (result.ok) {
      return {
        ok: true,
        summary: `✅ The migration (${statements}) was proven on a throwaway PostgreSQL database: it reaches exactly the tables of this commit.`,
      };
    }
    const lines = result.failure
      ? [`- ${result.failure}`]
      : result.differences.slice(0, MAX_DIFFERENCES).map((d) => `- ${formatDifference(d)}`);
    const more =
      result.differences.length > MAX_DIFFERENCES ? `\n- …and ${result.differences.length - MAX_DIFFERENCES} more` : '';
    return {
      ok: false,
      summary: `❌ The migration (${statements}) does not prove out on a throwaway PostgreSQL database:\n\n${lines.join('\n')}${more}\n\nRun \`aegis migrate verify <base> HEAD --database-url …\` locally to see every step.`,
    };
  } catch (error) {
    // The verification server being unreachable says nothing about the change: fail closed, and say so.
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ok: false, summary: `❌ The migration could not be proven: ${message}` };
  }
}
