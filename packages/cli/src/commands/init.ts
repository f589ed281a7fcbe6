import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { repositoryRoot } from '@aegis/git';
import { EXIT, UsageError, type CliIo, type Command } from '../command.js';
import { starterFiles, type StarterFile } from '../init/starter-files.js';
import { parseOptions } from '../parse-options.js';

const usage = `Usage: aegis init [--force]

Sets up Aegis in the git repository you are in (files go under its root):
  .kiro/schemas/registry.yaml and a starter schema (accounts.yaml)
  .kiro/rbac.yaml with the roles explained
  .github/workflows/aegis.yml, the pull-request check with the Aegis GitHub Action
  .kiro/json-schema/*.json, the JSON Schemas of both file formats for other tools
  .vscode/settings.json (the schema folder, for the Aegis extension) and .vscode/extensions.json
Safe to run again: a file that exists is left as it is (and said so) unless --force overwrites it.
Exit 0 when done, 2 outside a git repository.`;

type Outcome = 'wrote' | 'overwrote' | 'unchanged' | 'kept';

async function existing(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function place(root: string, file: StarterFile, force: boolean): Promise<Outcome> {
  const target = path.join(root, ...file.path.split('/'));
  const before = await existing(target);
  if (before === file.content) return 'unchanged';
  if (before !== undefined && !force) return 'kept';
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, file.content);
  return before === undefined ? 'wrote' : 'overwrote';
}

const LABEL: Record<Outcome, string> = {
  wrote: 'wrote    ',
  overwrote: 'overwrote',
  unchanged: 'unchanged',
  kept: 'kept     ',
};

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions('init', args, { force: { type: 'boolean' } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]} (see: aegis init --help)`);
  const root = await repositoryRoot(io.cwd).catch(() => {
    throw new UsageError('not inside a git repository: run git init first, then aegis init');
  });
  const force = values['force'] === true;
  const kept: string[] = [];
  for (const file of starterFiles()) {
    const outcome = await place(root, file, force);
    if (outcome === 'kept') kept.push(file.path);
    io.stdout(`${LABEL[outcome]} ${file.path}  ${file.purpose}\n`);
  }
  if (kept.length > 0)
    io.stdout(
      `${kept.length} existing file(s) differ and were kept as they are: aegis init --force overwrites them.\n`,
    );
  io.stdout(
    [
      '',
      'Next: npx aegis validate   (checks .kiro/schemas)',
      '      commit, push, and open a pull request: the aegis workflow checks it.',
      '',
    ].join('\n'),
  );
  return EXIT.clean;
}

/** `aegis init`: scaffolds a registry, its policy, the workflow and editor settings; never overwrites unasked. */
export const initCommand: Command = { name: 'init', usage, run };
