import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { MigrationStep } from '@aegis/core';
import {
  formatProgress,
  formatVerifyResult,
  recordedVersion,
  verifyMigration,
  type RegistryVersion,
} from '@aegis/migrate';
import { EXIT, UsageError, type CliIo, type Command } from '../command.js';
import { parseOptions, pickFormat, stringOption } from '../parse-options.js';
import { databaseUrlOption, registryAt, reportMigrateError } from './migrate-apply.js';

const usage = `Usage: aegis migrate verify [BASE] HEAD --database-url URL [--plan FILE] [--in-database] [--format text|json]
       [--schema-dir DIR]

Proves a change on a throwaway database created on the server of URL (the role needs CREATEDB) and dropped
afterwards: builds BASE with its create plan, runs the change plan BASE → HEAD, and compares the catalog
(columns, types, nullability, defaults, keys, foreign keys, indexes) with HEAD's create plan. Without BASE,
the change starts from the version the database at URL records (from empty when it has no history).
--in-database builds in two throwaway schemas inside the URL's database instead (for a role without CREATEDB;
needs CREATE there; they are dropped afterwards).
--plan FILE proves a plan edited by hand instead of the generated one (the JSON of aegis migrate --format json).
Exit: 0 the change reaches HEAD's catalog, 1 it does not (differences or a failing step listed), 2 bad URL,
unreachable server, missing rights, bad ref.`;

/** Reads `--plan FILE`: `{ steps: [...] }` as \`aegis migrate --format json\` writes it, or a bare array. */
async function readPlan(io: CliIo, file: string): Promise<MigrationStep[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path.resolve(io.cwd, file), 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read --plan ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  const steps = Array.isArray(parsed) ? parsed : (parsed as { steps?: unknown }).steps;
  const valid = (s: unknown): s is MigrationStep =>
    typeof (s as MigrationStep).sql === 'string' && typeof (s as MigrationStep).schema === 'string';
  if (!Array.isArray(steps) || !steps.every(valid))
    throw new UsageError(
      `--plan ${file}: expected the JSON of aegis migrate --format json ({ "steps": [{ "schema", "sql", … }] })`,
    );
  return steps.map((s) => ({
    ...s,
    owner: s.owner ?? '',
    destructive: s.destructive === true,
    transactional: s.transactional !== false,
  }));
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions('migrate verify', args, {
    'database-url': { type: 'string' },
    plan: { type: 'string' },
    'in-database': { type: 'boolean' },
    format: { type: 'string' },
    'schema-dir': { type: 'string' },
  });
  const format = pickFormat('migrate verify', stringOption(values, 'format'), ['text', 'json'] as const);
  if (positionals.length < 1 || positionals.length > 2)
    throw new UsageError('give HEAD, or BASE and HEAD (see: aegis migrate verify --help)');
  const databaseUrl = databaseUrlOption(values, io, 'migrate verify');
  const planFile = stringOption(values, 'plan');
  const plan = planFile === undefined ? undefined : await readPlan(io, planFile);
  try {
    const [baseRef, headRef] = positionals.length === 2 ? positionals : [undefined, positionals[0]];
    const head = await registryAt(io, headRef ?? 'HEAD', values);
    const base: RegistryVersion | undefined =
      baseRef !== undefined ? await registryAt(io, baseRef, values) : await recordedVersion(databaseUrl);
    const result = await verifyMigration({
      databaseUrl,
      head,
      ...(base ? { base } : {}),
      ...(plan ? { plan } : {}),
      scratch: values['in-database'] === true ? 'schemas' : 'database',
      onProgress: (event) => io.stderr(formatProgress(event)),
    });
    const about = {
      base: base && { versionHash: base.versionHash, commit: base.commit, ref: base.ref },
      head: { versionHash: head.versionHash, commit: head.commit, ref: head.ref },
    };
    io.stdout(
      format === 'json'
        ? `${JSON.stringify({ ...about, ...result }, null, 2)}\n`
        : formatVerifyResult(result, about.base, about.head),
    );
    return result.ok ? EXIT.clean : EXIT.findings;
  } catch (error) {
    return reportMigrateError(io, 'migrate verify', format, error);
  }
}

/** `aegis migrate verify [BASE] HEAD`: prove the change plan on a throwaway database. */
export const migrateVerifyCommand: Command = { name: 'migrate verify', usage, run };
