import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tempDir } from '../helpers/temp-dir.js';
import { LspTestClient } from './lsp-test-client.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
/** The built server binary (tests run after `tsc -b`). */
export const SERVER_BIN = path.join(repo, 'packages/language-server/bin/aegis-language-server.js');

/** The repository's example registry, path → text. */
export async function exampleRegistry(): Promise<Record<string, string>> {
  const folder = path.join(repo, '.kiro/schemas');
  const files: Record<string, string> = {};
  for (const name of await readdir(folder))
    files[`.kiro/schemas/${name}`] = await readFile(path.join(folder, name), 'utf8');
  return files;
}

/** A temporary workspace on disk and a real server over stdio on it. */
export interface LspWorkspace {
  dir: string;
  client: LspTestClient;
  /** The text of a file as written at the start (or by `write`). */
  text(file: string): string;
  uri(file: string): string;
  /** Writes a file on disk (the server learns of it through a watched-file event or its own watcher). */
  write(file: string, text: string | Uint8Array): Promise<void>;
  remove(file: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the server on a workspace holding `files` (and, unless `example` is false, the example registry),
 * and waits for the end of its start-up scan (its `$/progress`) unless `waitForScan` is false.
 */
export async function lspWorkspace(
  files: Record<string, string | Uint8Array> = {},
  options: { example?: boolean; command?: string[]; workspace?: Record<string, unknown>; waitForScan?: boolean } = {},
): Promise<LspWorkspace> {
  const all = { ...(options.example === false ? {} : await exampleRegistry()), ...files };
  const temp = await tempDir(all);
  const command = options.command ?? [SERVER_BIN, '--stdio'];
  const client = LspTestClient.start({ command: process.execPath, args: command, cwd: temp.dir });
  await client.initialize(temp.dir, undefined, options.workspace);
  // Requests are answered at once from what is known; tests start once every file on disk is.
  if (options.waitForScan !== false) await client.scanned();
  const texts = new Map<string, string>();
  for (const [file, content] of Object.entries(all)) if (typeof content === 'string') texts.set(file, content);
  return {
    dir: temp.dir,
    client,
    text: (file) => {
      const text = texts.get(file);
      if (text === undefined) throw new Error(`${file} is not in the workspace`);
      return text;
    },
    uri: (file) => pathToFileURL(path.join(temp.dir, file)).href,
    write: async (file, text) => {
      if (typeof text === 'string') texts.set(file, text);
      await mkdir(path.dirname(path.join(temp.dir, file)), { recursive: true });
      await writeFile(path.join(temp.dir, file), text);
    },
    remove: async (file) => {
      texts.delete(file);
      await rm(path.join(temp.dir, file));
    },
    close: async () => {
      await client.stop();
      await temp.cleanup();
    },
  };
}
