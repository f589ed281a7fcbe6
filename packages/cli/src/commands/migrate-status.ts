import { formatStatus, MigrateError, migrationStatus, type RegistryVersion } from '@aegis/migrate';
import { EXIT, UsageError, type CliIo, type Command } from '../command.js';
import { parseOptions, pickFormat, stringOption, type ParsedOptions } from '../parse-options.js';
import { databaseUrlOption, ignoredTables, registryAt, reportMigrateError } from './migrate-apply.js';

const usage = `Usage: aegis migrate status --database-url URL [--to REF] [--rebuild] [--ignore-table NAME|PATTERN]... [--format text|json]
       [--schema-dir DIR]

The database's registry version (from aegis_migrations: hash, commit, when, by whom), after-commit steps an
interrupted apply left, the steps pending to REF (default HEAD when run inside the repository), and drift
(the catalog changed by hand since the last apply: compared with the catalog stored at apply time, or with
--rebuild, with the recorded version's create plan built in a throwaway database — needs CREATEDB).
Changes nothing.
Exit: 0 up to date and no drift, 1 pending steps, unfinished steps or drift, 2 bad URL, unreachable server,
missing rights, bad ref.`;

/** The target: --to REF (its errors count), else HEAD when the working directory holds a registry. */
async function target(io: CliIo, values: ParsedOptions['values']): Promise<RegistryVersion | undefined> {
  const ref = stringOption(values, 'to');
  if (ref !== undefined) return registryAt(io, ref, values);
  return registryAt(io, 'HEAD', values).catch((error: unknown) => {
    if (error instanceof MigrateError && error.kind === 'registry') return undefined;
    throw error;
  });
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions('migrate status', args, {
    'database-url': { type: 'string' },
    to: { type: 'string' },
    rebuild: { type: 'boolean' },
    'ignore-table': { type: 'string', multiple: true },
    format: { type: 'string' },
    'schema-dir': { type: 'string' },
  });
  const format = pickFormat('migrate status', stringOption(values, 'format'), ['text', 'json'] as const);
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument "${positionals[0]}" (see: aegis migrate status --help)`);
  const databaseUrl = databaseUrlOption(values, io, 'migrate status');
  try {
    const version = await target(io, values);
    const status = await migrationStatus({
      databaseUrl,
      rebuild: values.rebuild === true,
      ignoreTables: ignoredTables(values),
      ...(version ? { target: version } : {}),
    });
    const to = version && { versionHash: version.versionHash, commit: version.commit, ref: version.ref };
    io.stdout(format === 'json' ? `${JSON.stringify({ ...status, target: to }, null, 2)}\n` : formatStatus(status, to));
    const clean = status.drift.length === 0 && status.unfinished.length === 0 && status.upToDate !== false;
    return clean ? EXIT.clean : EXIT.findings;
  } catch (error) {
    return reportMigrateError(io, 'migrate status', format, error);
  }
}

/** `aegis migrate status`: version, pending steps, drift. */
export const migrateStatusCommand: Command = { name: 'migrate status', usage, run };
