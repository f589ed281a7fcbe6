import { diffHeadline } from '@aegis/core';
import { DEFAULT_SCHEMA_DIR } from '@aegis/git';
import { checkGitChange } from '../check-git-change.js';
import { EXIT, UsageError, type CliIo, type Command } from '../command.js';
import { DIAGNOSTIC_FORMATS, flatten, formatDiagnostics } from '../format-diagnostics.js';
import { parseOptions, pickFormat, stringOption } from '../parse-options.js';

const usage = `Usage: aegis check --base BASE [--ref REF] [--format text|json|github] [--schema-dir DIR]

What the aegis/validate check reports on a pull request, locally: every validation diagnostic of the
working tree's registry (or of REF), plus the diff against BASE (breaking-change, version-not-bumped)
and the problems of .kiro/rbac.yaml when the change edits it. BASE is compared at its merge base with HEAD, as a pull request is. --format github prints workflow
annotations for GitHub Actions. Exit 0 clean, 1 with errors, 2 on usage or git errors.`;

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions('check', args, {
    base: { type: 'string' },
    ref: { type: 'string' },
    format: { type: 'string' },
    'schema-dir': { type: 'string' },
  });
  const format = pickFormat('check', stringOption(values, 'format'), DIAGNOSTIC_FORMATS);
  const baseRef = stringOption(values, 'base');
  const headRef = stringOption(values, 'ref');
  if (!baseRef)
    throw new UsageError(
      '--base is required: the branch the change goes into, e.g. --base origin/main (see: aegis check --help)',
    );
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]} (see: aegis check --help)`);
  const { fork, diff, results, summary } = await checkGitChange(io.cwd, baseRef, {
    ...(headRef ? { headRef } : {}),
    schemaDir: stringOption(values, 'schema-dir') ?? DEFAULT_SCHEMA_DIR,
  });
  io.stdout(formatDiagnostics(format, flatten(results), summary, { color: io.isTTY && !io.env.NO_COLOR }));
  const headline = `diff against ${baseRef} (${fork.slice(0, 12)}): ${diffHeadline(diff)}`;
  if (format === 'text') io.stdout(`${headline}\n`);
  if (format === 'github') io.stdout(`::notice title=aegis check::${headline.replace(/%/g, '%25')}\n`);
  return summary.errors > 0 ? EXIT.findings : EXIT.clean;
}

/** `aegis check --base BASE`: validation plus the diff against the base, as the app's check reports it. */
export const checkCommand: Command = { name: 'check', usage, run };
