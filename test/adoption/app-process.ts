import { spawn } from 'node:child_process';

/** A running `node aegis.mjs bot` process: where it listens, what it logged, how to stop it. */
export interface AppProcess {
  url: string;
  log: () => string;
  stop(): Promise<void>;
}

/**
 * Starts the bundled app with plain `node` in `appDir` (PATH keeps git) and resolves once it says where it
 * listens; rejects with its output if it exits first.
 */
export function startAppBundle(appDir: string, env: Record<string, string>): Promise<AppProcess> {
  const child = spawn(process.execPath, ['aegis.mjs', 'bot'], {
    cwd: appDir,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: appDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const onData = (chunk: string): void => {
      output += chunk;
      const url = /listening on (\S+)/.exec(output)?.[1];
      if (url) resolve({ url, log: () => output, stop });
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.once('exit', (code) => reject(new Error(`node aegis.mjs bot exited ${code}:\n${output}`)));
  });
}
