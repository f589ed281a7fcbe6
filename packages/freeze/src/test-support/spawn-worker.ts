import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Starts a worker child process (`node --import tsx`), configured through the AEGIS_WORKER env var. */
export function spawnWorker(
  mode: 'locks' | 'switch' | 'switch-hang' | 'embedded',
  config: Record<string, unknown>,
): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', WORKER, mode], {
    cwd: ROOT,
    env: { ...process.env, AEGIS_WORKER: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs a worker to completion and parses its JSON result line. */
export function runWorker<T>(mode: 'locks' | 'embedded', config: Record<string, unknown>): Promise<T> {
  const child = spawnWorker(mode, config);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`worker ${mode} exited ${code}: ${err}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as T);
      } catch (e) {
        reject(new Error(`worker ${mode} printed no result: ${out} ${err} ${String(e)}`));
      }
    });
  });
}
