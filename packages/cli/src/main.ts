import { UsageError, type CliIo } from './command.js';
import { commands } from './commands/index.js';

const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  isTTY: Boolean(process.stdout.isTTY),
};

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'aegis — a Git-native registry of database schemas',
    '',
    'Usage: aegis <command> [options]   (aegis <command> --help for details)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Exit codes: 0 clean, 1 findings, 2 usage or I/O error.',
    '',
  ].join('\n');
}

/** Runs one `aegis` invocation and returns its exit code; never throws. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout(help());
    return first === undefined ? 2 : 0;
  }
  // Two-word commands (`migrate apply`) win over their one-word parent (`migrate`).
  const pair = rest[0] === undefined ? undefined : commands.find((c) => c.name === `${first} ${rest[0]}`);
  const command = pair ?? commands.find((c) => c.name === first);
  const name = command?.name ?? first;
  const args = pair ? rest.slice(1) : rest;
  if (!command) {
    io.stderr(`aegis: unknown command "${name}". Run aegis --help to list the commands.\n`);
    return 2;
  }
  try {
    const loaded = await command.load();
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout(`${loaded.usage}\n`);
      return 0;
    }
    return await loaded.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`aegis ${name}: ${error.message}\n`);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      io.stderr(`aegis ${name}: ${message}\n`);
      if (io.env.AEGIS_DEBUG && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    }
    return 2;
  }
}
