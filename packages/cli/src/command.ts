/** Where a command writes and what it knows of its surroundings; tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Whether stdout is a terminal: colour and progress only then. */
  isTTY: boolean;
}

/** One `aegis` subcommand (its one-line summary lives in `commands/index.ts`). `run` returns the exit code. */
export interface Command {
  name: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Exit codes shared by every command (SPEC §6). */
export const EXIT = { clean: 0, findings: 1, usage: 2 } as const;

/** Bad arguments or unusable input: printed as one line, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
