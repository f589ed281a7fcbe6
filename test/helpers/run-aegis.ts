import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built `aegis` binary; end-to-end tests run it as a user would. */
export const AEGIS_BIN = fileURLToPath(new URL('../../packages/cli/bin/aegis.js', import.meta.url));

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `aegis …` in `cwd` with piped output (so never coloured) and collects what it printed. */
export function runAegis(args: string[], cwd: string, env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [AEGIS_BIN, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
