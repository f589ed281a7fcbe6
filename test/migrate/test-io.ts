import type { CliIo } from '../../packages/cli/src/command.js';

/** A CliIo that records what a command prints, for calling `Command.run` directly. */
export interface RecordingIo extends CliIo {
  out: string[];
  err: string[];
  readonly stdoutText: string;
  readonly stderrText: string;
}

/** A recording CliIo in `cwd`, with no DATABASE_URL leaking in from the environment. */
export function recordingIo(cwd: string, env: Record<string, string | undefined> = {}): RecordingIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    isTTY: false,
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    get stdoutText() {
      return out.join('');
    },
    get stderrText() {
      return err.join('');
    },
  };
}
