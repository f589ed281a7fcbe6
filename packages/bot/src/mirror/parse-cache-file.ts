import { createHash } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadedFile } from '@aegis/core';
import { ParseCache, type ParsedFileStore } from './parse-cache.js';
import { removeLeftoverTemps } from './shared-files.js';

/**
 * Parsed files as JSON lines in one file beside the mirrors (a per-replica cache, like them). The first line
 * names the parser build (a hash of `@aegis/core`'s compiled code): a deploy with another parser starts empty
 * rather than trusting results it did not produce. A torn last line (a crash mid-append) is skipped.
 */
export class FileParsedFileStore implements ParsedFileStore {
  private fresh = false;
  /** Writes in order, one at a time, so two registry builds never interleave their lines. */
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly fingerprint: string,
  ) {}

  async load(): Promise<[string, LoadedFile][]> {
    // Before this process rewrites the file: what a rewrite cut short by a crash left (as big as the cache).
    await removeLeftoverTemps(path.dirname(this.file), tempPattern(path.basename(this.file)));
    const text = await readFile(this.file, 'utf8').catch(() => '');
    const lines = text.split('\n');
    if (lines[0] !== this.header()) {
      this.fresh = true;
      return [];
    }
    const out: [string, LoadedFile][] = [];
    for (const line of lines.slice(1)) {
      if (!line) continue;
      try {
        out.push(JSON.parse(line) as [string, LoadedFile]);
      } catch {
        // A line cut short by a crash: that file is parsed again next time.
      }
    }
    return out;
  }

  save(entries: [string, LoadedFile][]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    return this.queue(async () => {
      if (this.fresh) return this.rewrite(entries);
      await appendFile(this.file, entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
    });
  }

  replace(entries: [string, LoadedFile][]): Promise<void> {
    return this.queue(() => this.rewrite(entries));
  }

  private queue(write: () => Promise<void>): Promise<void> {
    const next = this.writes.then(write);
    this.writes = next.catch(() => undefined);
    return next;
  }

  private async rewrite(entries: [string, LoadedFile][]): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    await writeFile(temp, [this.header(), ...entries.map((e) => JSON.stringify(e))].join('\n') + '\n');
    await rename(temp, this.file);
    this.fresh = false;
  }

  private header(): string {
    return JSON.stringify({ aegisParseCache: 1, parser: this.fingerprint });
  }
}

/** `<name>.<pid>.tmp`, what `rewrite` writes before renaming it over the file (names here hold no other metacharacter). */
const tempPattern = (name: string): RegExp => new RegExp(`^${name.replaceAll('.', '\\.')}\\.(\\d+)\\.tmp$`);

/**
 * A hash of `@aegis/core`'s compiled files: it changes whenever the parser could parse differently. Read
 * once at startup (a few dozen small files).
 */
export async function coreFingerprint(): Promise<string> {
  const hash = createHash('sha256');
  const { dir, names } = await parserFiles();
  for (const name of names) {
    hash.update(name);
    hash.update(await readFile(path.join(dir, name)));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Core's compiled files; in the deployable bundle core is inside this very file, so that file stands for it. */
async function parserFiles(): Promise<{ dir: string; names: string[] }> {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve('@aegis/core');
  } catch {
    const self = fileURLToPath(import.meta.url);
    return { dir: path.dirname(self), names: [path.basename(self)] };
  }
  const dir = path.dirname(entry);
  const names = (await readdir(dir, { recursive: true })).filter((n) => n.endsWith('.js')).sort();
  return { dir, names };
}

/**
 * The parse cache of a replica, kept in `<mirror dir>/.aegis-parse-cache.jsonl` so the first event after a
 * restart parses only what changed (a per-replica cache beside the mirrors; see docs/github-app.md).
 */
export async function persistentParseCache(mirrorDir: string): Promise<ParseCache> {
  const store = new FileParsedFileStore(path.join(mirrorDir, '.aegis-parse-cache.jsonl'), await coreFingerprint());
  return new ParseCache(100_000, store);
}
