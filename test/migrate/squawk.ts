import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
// squawk-cli finds its binary in the platform package (@squawk-cli/linux-x64): nothing is downloaded.
const squawk = createRequire(import.meta.url)('squawk-cli/js/index.js') as { getBinaryPath(): string };

/** One finding of Squawk on a script. */
export interface SquawkFinding {
  file: string;
  line: number;
  rule_name: string;
  message: string;
}

/** Lints SQL scripts with Squawk (PostgreSQL 15 rules); returns every finding. */
export async function lintScripts(scripts: string[]): Promise<SquawkFinding[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'aegis-squawk-'));
  try {
    const files = await Promise.all(
      scripts.map(async (script, i) => {
        const file = path.join(dir, `script-${i}.sql`);
        await writeFile(file, script);
        return file;
      }),
    );
    if (files.length === 0) return [];
    const args = ['--pg-version=15', '--reporter', 'json', ...files];
    // Squawk exits 1 when it finds something: its report is on stdout either way.
    let stdout: string;
    try {
      ({ stdout } = await run(squawk.getBinaryPath(), args, { maxBuffer: 64 * 1024 * 1024 }));
    } catch (error) {
      const failed = error as { stdout?: string; code?: number };
      if (failed.code !== 1 || failed.stdout === undefined) throw error;
      stdout = failed.stdout;
    }
    return JSON.parse(stdout) as SquawkFinding[];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The Squawk rules docs/migrations-apply.md explains (its table under "Squawk"). */
export async function documentedRules(): Promise<Set<string>> {
  const text = await readFile(new URL('../../docs/migrations-apply.md', import.meta.url), 'utf8');
  const section = text.slice(text.indexOf('## Squawk'));
  return new Set([...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1] ?? ''));
}
