import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError, type CliIo } from './command.js';

/** Writes a command's output to `--out` (creating folders) or to stdout. */
export async function writeOutput(io: CliIo, out: string | undefined, text: string): Promise<void> {
  if (out === undefined) {
    io.stdout(text);
    return;
  }
  const target = path.resolve(io.cwd, out);
  try {
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, text);
  } catch (error) {
    throw new UsageError(`cannot write ${out}: ${(error as Error).message}`);
  }
}
