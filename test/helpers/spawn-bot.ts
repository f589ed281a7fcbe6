import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { AEGIS_BIN } from './run-aegis.js';

/** `aegis bot` in its own process, as an operator runs it. */
export interface SpawnedBot {
  url: string;
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Stops it with SIGTERM and waits for the exit. */
  stop(): Promise<void>;
}

/** Spawns `aegis bot` with `env` added to this process's environment and waits until it listens. */
export async function spawnBot(env: NodeJS.ProcessEnv): Promise<SpawnedBot> {
  const child = spawn(process.execPath, [AEGIS_BIN, 'bot'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const read = (chunk: string): void => {
      out += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout?.setEncoding('utf8').on('data', read);
    child.stderr?.setEncoding('utf8').on('data', read);
    child.on('exit', (code) => reject(new Error(`aegis bot exited (${code}): ${out}`)));
  });
  return {
    url,
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
