import {
  diffDiagnostics,
  diffHeadline,
  diffRegistries,
  renderDiffMarkdown,
  renderDiffText,
  type Diagnostic,
  type RegistryDiff,
} from '@aegis/core';
import { DEFAULT_SCHEMA_DIR, mergeBase, repositoryRoot } from '@aegis/git';
import { EXIT, UsageError, type CliIo, type Command } from '../command.js';
import { parseOptions, pickFormat, stringOption } from '../parse-options.js';
import { writeOutput } from '../write-output.js';
import { baseSide, bothSides, refSide, requireReadable, workingTreeSide, type Side } from './git-sides.js';

const FORMATS = ['text', 'json', 'markdown'] as const;

const usage = `Usage: aegis diff BASE [HEAD] [--merge-base] [--format text|json|markdown] [--schema-dir DIR] [--out FILE]

Compares the schema registry at BASE (a branch, tag or SHA) with HEAD (another ref; default: the working
tree). --merge-base compares against the merge base of BASE and HEAD instead, as a pull request does. Every change is classed breaking or compatible with the reason; markdown adds a Mermaid ERD of the
changed schemas and their neighbours. Exit 0 without breaking changes or version problems, 1 with, 2 on errors.`;

function toJson(diff: RegistryDiff, base: Side, head: Side, diagnostics: Diagnostic[]): string {
  const side = (s: Side) => ({ ref: s.label, commit: s.commit, versionHash: s.versionHash });
  const schemas = diff.schemas
    .filter((s) => s.status !== 'unchanged')
    .map((s) => ({
      name: s.name,
      status: s.status,
      owner: (s.head ?? s.base)?.owner?.value,
      movedFrom: s.movedFrom,
      version: { base: s.base?.version?.value, head: s.head?.version?.value },
      changes: s.changes,
    }));
  return `${JSON.stringify({ base: side(base), head: side(head), breaking: diff.breaking, headline: diffHeadline(diff), schemas, diagnostics }, null, 2)}\n`;
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions('diff', args, {
    format: { type: 'string' },
    'schema-dir': { type: 'string' },
    out: { type: 'string' },
    'merge-base': { type: 'boolean' },
  });
  const format = pickFormat('diff', stringOption(values, 'format'), FORMATS);
  const [baseRef, headRef, ...extra] = positionals;
  if (!baseRef || extra.length > 0) throw new UsageError('give BASE and optionally HEAD (see: aegis diff --help)');
  const schemaDir = stringOption(values, 'schema-dir') ?? DEFAULT_SCHEMA_DIR;
  const root = await repositoryRoot(io.cwd);
  const fork = values['merge-base'] === true ? await mergeBase(root, baseRef, headRef ?? 'HEAD') : undefined;
  const [base, head] = await bothSides(
    baseSide(root, fork ?? baseRef, schemaDir),
    headRef ? refSide(root, headRef, schemaDir) : workingTreeSide(root, schemaDir),
  );
  requireReadable(base);
  requireReadable(head);
  const diff = diffRegistries(base.registry, head.registry);
  const diagnostics = [...diffDiagnostics(base.registry, head.registry, diff).values()].flat();
  if (fork) base.label = `${baseRef}...${headRef ?? 'working tree'} (merge base ${fork.slice(0, 12)})`;
  const sides = { base: base.label, head: head.label };
  const text =
    format === 'json'
      ? toJson(diff, base, head, diagnostics)
      : format === 'markdown'
        ? renderDiffMarkdown(diff, base.registry, head.registry, sides, diagnostics)
        : renderDiffText(diff, sides, diagnostics);
  await writeOutput(io, stringOption(values, 'out'), text);
  return diagnostics.some((d) => d.severity === 'error') ? EXIT.findings : EXIT.clean;
}

/** `aegis diff BASE [HEAD]`: what changed between two versions of the registry, breaking or not. */
export const diffCommand: Command = { name: 'diff', usage, run };
