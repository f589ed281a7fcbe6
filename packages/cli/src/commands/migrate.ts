import { changePlan, createPlan, renderSqlScript, validateRegistry, type MigrationStep } from '@aegis/core';
import { DEFAULT_SCHEMA_DIR, repositoryRoot } from '@aegis/git';
import { EXIT, UsageError, type CliIo, type Command } from '../command.js';
import { flatten, formatDiagnostics, summarize } from '../format-diagnostics.js';
import { parseOptions, pickFormat, stringOption } from '../parse-options.js';
import { writeOutput } from '../write-output.js';
import { baseSide, refSide, requireReadable, type Side } from './git-sides.js';

const usage = `Usage: aegis migrate [BASE] HEAD --dialect postgres [--format sql|json] [--schema-dir DIR] [--out FILE]

PostgreSQL DDL for the registry at HEAD. With one ref: every CREATE TABLE from an empty database, in
dependency order. With two: the ordered statements that turn BASE's tables into HEAD's, destructive ones
marked, heavy locks flagged (indexes CONCURRENTLY, NOT NULL through a validated check). Each statement names
its schema and owner service. Refuses (exit 1) while HEAD has validation errors; exit 2 on bad refs.`;

function header(steps: MigrationStep[], base: Side | undefined, head: Side): string {
  const destructive = steps.filter((s) => s.destructive).length;
  const locks = steps.filter((s) => s.lockWarning).length;
  const what = base ? `${base.label} → ${head.label}` : `empty → ${head.label}`;
  return `-- aegis migrate ${what} (postgres): ${steps.length} statements, ${destructive} destructive, ${locks} with lock warnings\n`;
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions('migrate', args, {
    dialect: { type: 'string' },
    format: { type: 'string' },
    'schema-dir': { type: 'string' },
    out: { type: 'string' },
  });
  const dialect = stringOption(values, 'dialect') ?? 'postgres';
  if (dialect !== 'postgres') throw new UsageError(`unknown --dialect ${dialect}: only postgres is supported`);
  const format = pickFormat('migrate', stringOption(values, 'format'), ['sql', 'json'] as const);
  if (positionals.length < 1 || positionals.length > 2)
    throw new UsageError('give HEAD, or BASE and HEAD (see: aegis migrate --help)');
  const [baseRef, headRef] = positionals.length === 2 ? positionals : [undefined, positionals[0]];
  const schemaDir = stringOption(values, 'schema-dir') ?? DEFAULT_SCHEMA_DIR;
  const root = await repositoryRoot(io.cwd);
  const head = requireReadable(await refSide(root, headRef ?? 'HEAD', schemaDir));
  const base = baseRef === undefined ? undefined : requireReadable(await baseSide(root, baseRef, schemaDir));
  const problems = validateRegistry(head.registry);
  const summary = summarize(problems, head.registry.schemas.size);
  if (summary.errors > 0) {
    io.stderr(
      formatDiagnostics(
        'text',
        flatten(problems).filter((d) => d.severity === 'error'),
        summary,
        { color: false },
      ),
    );
    io.stderr(`aegis migrate: ${head.label} has validation errors; fix them before generating SQL.\n`);
    return EXIT.findings;
  }
  const steps = base ? changePlan(base.registry, head.registry) : createPlan(head.registry);
  const text =
    format === 'json'
      ? `${JSON.stringify({ base: base?.label, head: head.label, dialect: 'postgres', steps }, null, 2)}\n`
      : header(steps, base, head) + renderSqlScript(steps);
  await writeOutput(io, stringOption(values, 'out'), text);
  return EXIT.clean;
}

/** `aegis migrate [BASE] HEAD --dialect postgres`: the SQL that builds or changes the tables. */
export const migrateCommand: Command = { name: 'migrate', usage, run };
