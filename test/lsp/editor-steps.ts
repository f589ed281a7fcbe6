import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { SERVER_BIN } from './lsp-workspace.js';

/** How long a real editor may run a scenario before it is killed (each wait inside is bounded too). */
const RUN_MS = 280_000;

/**
 * Runs a real editor headless on a driver script in `root` and returns the steps it recorded by name. The
 * driver reads AEGIS_ROOT, AEGIS_SERVER, AEGIS_NODE, AEGIS_OUT (and `env`) and writes `[{ step, value }]` to
 * AEGIS_OUT; a step `error` or a non-zero exit fails the test with the editor's output.
 */
export async function editorSteps(
  command: string,
  args: string[],
  root: string,
  env: Record<string, string> = {},
): Promise<Map<string, unknown>> {
  const out = path.join(root, 'editor-steps.json');
  const child = spawn(command, args, {
    cwd: root,
    env: {
      ...process.env,
      ...env,
      AEGIS_ROOT: root,
      AEGIS_SERVER: SERVER_BIN,
      AEGIS_NODE: process.execPath,
      AEGIS_OUT: out,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), RUN_MS);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearTimeout(killer);
  const steps = JSON.parse(await readFile(out, 'utf8').catch(() => '[]')) as { step: string; value: unknown }[];
  const byName = new Map(steps.map((s) => [s.step, s.value]));
  expect(byName.get('error'), output).toBeUndefined();
  expect(code, output).toBe(0);
  return byName;
}
