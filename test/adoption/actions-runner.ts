import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { runProgram, type Ran } from './adopter.js';

interface ActionManifest {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
}

/** What one run of an action left behind, as GitHub Actions would see it. */
export interface ActionRun extends Ran {
  summary: string;
  outputs: Record<string, string>;
}

/** Reads `name<<delimiter\nvalue\ndelimiter` entries (and plain `name=value` lines) of a GITHUB_OUTPUT file. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc?.[1] && heredoc[2]) {
      const end = lines.indexOf(heredoc[2], i + 1);
      outputs[heredoc[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return outputs;
}

/**
 * Runs a JavaScript action the way the runner does: `node <action>/<runs.main>` in the workspace, with
 * INPUT_* from action.yml's defaults and `inputs`, the event payload in GITHUB_EVENT_PATH, and fresh
 * GITHUB_STEP_SUMMARY and GITHUB_OUTPUT files in `scratch`.
 */
export async function runJavaScriptAction(options: {
  actionDir: string;
  workspace: string;
  scratch: string;
  event: Record<string, unknown>;
  inputs?: Record<string, string>;
  env?: Record<string, string>;
}): Promise<ActionRun> {
  const manifest = parse(await readFile(path.join(options.actionDir, 'action.yml'), 'utf8')) as ActionManifest;
  if (manifest.runs.using !== 'node20')
    throw new Error(`the runner here runs node20 actions, not ${manifest.runs.using}`);
  const env: Record<string, string> = {};
  for (const [name, input] of Object.entries(manifest.inputs))
    env[`INPUT_${name.toUpperCase()}`] = options.inputs?.[name] ?? input.default ?? '';
  const file = (name: string) => path.join(options.scratch, name);
  await writeFile(file('event.json'), JSON.stringify(options.event));
  await writeFile(file('summary.md'), '');
  await writeFile(file('output.txt'), '');
  const ran = await runProgram(process.execPath, [path.join(options.actionDir, manifest.runs.main)], {
    cwd: options.workspace,
    env: {
      ...env,
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: file('event.json'),
      GITHUB_STEP_SUMMARY: file('summary.md'),
      GITHUB_OUTPUT: file('output.txt'),
      GITHUB_WORKSPACE: options.workspace,
      ...options.env,
    },
  });
  return {
    ...ran,
    summary: await readFile(file('summary.md'), 'utf8'),
    outputs: parseOutputFile(await readFile(file('output.txt'), 'utf8')),
  };
}
