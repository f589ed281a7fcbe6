import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { WORKSPACE } from './adopter.js';

/** One instruction of a Dockerfile: its keyword and its arguments (continuation lines joined). */
export interface Instruction {
  keyword: string;
  args: string;
}

/** The repository's Dockerfile as instructions, comments dropped. */
export async function readDockerfile(): Promise<Instruction[]> {
  const text = await readFile(path.join(WORKSPACE, 'Dockerfile'), 'utf8');
  const joined = text.replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

/** The exec-form command of the HEALTHCHECK (`CMD [...]` after its options). */
export function healthcheckCommand(instructions: Instruction[]): string[] {
  const health = instructions.find((i) => i.keyword === 'HEALTHCHECK');
  const json = /CMD (\[.*\])$/.exec(health?.args ?? '')?.[1];
  if (!json) throw new Error('the Dockerfile has no exec-form HEALTHCHECK CMD');
  return JSON.parse(json) as string[];
}
