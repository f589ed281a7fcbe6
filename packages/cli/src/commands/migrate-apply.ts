import {
  applyMigration,
  baselineMigration,
  defaultActor,
  formatApplyResult,
  formatPlanWarnings,
  formatProgress,
  loadRegistryVersion,
  MigrateError,
  StepFailedError,
  DriftError,
  type RegistryVersion,
} from '@aegis/migrate';
import { EXIT, UsageError, type CliIo, type Command } from '../command.js';
import { parseOptions, pickFormat, stringOption, type ParsedOptions } from '../parse-options.js';

const usage = `Usage: aegis migrate apply --database-url URL [--to REF] [--dry-run] [--allow-drift] [--baseline]
       [--ignore-table NAME|PATTERN]... [--format text|json] [--schema-dir DIR]

Migrates a PostgreSQL database to the registry at REF (default HEAD). The database's version is read from the
history table aegis_migrations (created on first use); the plan runs from there (from empty the first time),
in dependency order, inside ONE transaction: a failing step rolls everything back and is named with its schema,
owner service and the server's error. CREATE INDEX CONCURRENTLY (and what depends on it) runs after the commit,
each step recorded; a later run resumes an interrupted one. A second run is a no-op. A database changed by hand
since the last apply (drift) is refused unless --allow-drift. --dry-run prints the plan and changes nothing.
Warnings (destructive steps, heavy locks) and progress (step N of M) go to stderr. URL also from $DATABASE_URL. --baseline adopts a database built
before aegis: if its tables match REF's create plan (checked in a throwaway database: needs CREATEDB), REF is
recorded without running anything. --ignore-table (repeatable, * patterns) leaves tables the registry does not
manage (another tool's, an extension's) out of drift checks.
Exit: 0 applied or nothing to do, 1 refused (drift, failing step, invalid registry), 2 bad URL, unreachable
server, missing rights, bad ref.`;

/** `--database-url`, else `$DATABASE_URL`; one of them is required. */
export function databaseUrlOption(values: ParsedOptions['values'], io: CliIo, command: string): string {
  const url = stringOption(values, 'database-url') ?? io.env.DATABASE_URL;
  if (!url)
    throw new UsageError(
      `give --database-url postgresql://user@host/database (or set DATABASE_URL) (see: aegis ${command} --help)`,
    );
  return url;
}

/** `--ignore-table NAME` (repeatable; `*` patterns): tables the registry does not manage. */
export function ignoredTables(values: ParsedOptions['values']): string[] {
  const value = values['ignore-table'];
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list
    .filter((v): v is string => typeof v === 'string')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Loads the registry at a ref of the repository around the working directory. */
export function registryAt(io: CliIo, ref: string, values: ParsedOptions['values']): Promise<RegistryVersion> {
  const schemaDir = stringOption(values, 'schema-dir');
  return loadRegistryVersion(io.cwd, ref, schemaDir ? { schemaDir } : {});
}

/**
 * Prints a migration error as one line on stderr (and, for --format json, as a JSON object on stdout) and
 * returns its exit code: 1 for findings (drift, a failing step, an invalid registry), 2 for setup problems.
 */
export function reportMigrateError(io: CliIo, command: string, format: string, error: unknown): number {
  if (!(error instanceof MigrateError)) throw error;
  io.stderr(`aegis ${command}: ${error.message}\n`);
  if (format === 'json') {
    const detail = {
      kind: error.kind,
      message: error.message,
      ...(error instanceof StepFailedError
        ? { step: error.step, serverError: error.serverError, rolledBack: error.rolledBack }
        : {}),
      ...(error instanceof DriftError ? { differences: error.differences } : {}),
    };
    io.stdout(`${JSON.stringify({ status: 'failed', error: detail }, null, 2)}\n`);
  }
  return error.exitCode;
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions('migrate apply', args, {
    'database-url': { type: 'string' },
    to: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'allow-drift': { type: 'boolean' },
    baseline: { type: 'boolean' },
    'ignore-table': { type: 'string', multiple: true },
    format: { type: 'string' },
    'schema-dir': { type: 'string' },
  });
  const format = pickFormat('migrate apply', stringOption(values, 'format'), ['text', 'json'] as const);
  if (values.baseline === true && values['dry-run'] === true)
    throw new UsageError(
      '--baseline and --dry-run do not go together: --baseline changes only the history (see: aegis migrate apply --help)',
    );
  if (positionals.length > 0)
    throw new UsageError(
      `unexpected argument "${positionals[0]}": name the version with --to REF (see: aegis migrate apply --help)`,
    );
  const databaseUrl = databaseUrlOption(values, io, 'migrate apply');
  try {
    const target = await registryAt(io, stringOption(values, 'to') ?? 'HEAD', values);
    const common = {
      databaseUrl,
      target,
      ignoreTables: ignoredTables(values),
      allowDrift: values['allow-drift'] === true,
      appliedBy: io.env.AEGIS_APPLIED_BY ?? io.env.GITHUB_ACTOR ?? defaultActor(),
    };
    const result =
      values.baseline === true
        ? await baselineMigration(common)
        : await applyMigration({
            ...common,
            dryRun: values['dry-run'] === true,
            onPlan: (steps) => io.stderr(formatPlanWarnings(steps)),
            onProgress: (event) => io.stderr(formatProgress(event)),
          });
    io.stdout(format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : formatApplyResult(result));
    return EXIT.clean;
  } catch (error) {
    return reportMigrateError(io, 'migrate apply', format, error);
  }
}

/** `aegis migrate apply`: run the plan against a database, with history, rollback, resume and drift checks. */
export const migrateApplyCommand: Command = { name: 'migrate apply', usage, run };
