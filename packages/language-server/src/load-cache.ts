import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { internRange } from '@aegis/core';
import type { LoadedFile, Range } from '@aegis/core';
import { parserFingerprint } from '@aegis/core/parser-fingerprint';

/** A loaded file with the hash of the bytes it was loaded from. */
export interface HashedEntry {
  hash: string;
  entry: LoadedFile;
}

/** A cache file larger than this is not read (a foreign or runaway file); it is rewritten after the scan. */
const MAX_CACHE_BYTES = 256 * 1024 * 1024;
/** Workspaces whose cache is kept; the least recently written beyond this are deleted. */
const MAX_WORKSPACES = 16;
const FORMAT = 2;
/** Cache lines parsed between two turns of the event loop (~20 ms on a loaded machine). */
const PARSE_SLICE = 250;
/** Cache lines written at once (each slice a few ms of `JSON.stringify` at 10,000 schemas). */
const WRITE_SLICE = 100;

/** The hash a file's bytes are known by in the cache. */
export function contentHash(content: Uint8Array): string {
  return createHash('sha1').update(content).digest('base64');
}

/** Where caches live: `$AEGIS_CACHE_DIR`, else `$XDG_CACHE_HOME/aegis`, else `~/.cache/aegis`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AEGIS_CACHE_DIR) return env.AEGIS_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'aegis');
}

/**
 * Loaded files of one registry across sessions, as JSON lines in `<dir>/language-server/<workspace hash>.jsonl`:
 * a header naming the format, the parser build (`parserFingerprint`) and the registry, then one
 * `[path, hash, LoadedFile]` a line, each range as `[startLine, startCharacter, endLine, endCharacter]` (a third
 * of the size; read back as core's shared ranges, so a cached registry takes no more memory than a loaded one). A second start of the server on an unchanged registry hashes the files
 * instead of loading them. A missing, corrupt or foreign file (another build, another registry) is ignored
 * and rewritten; a bad line is skipped.
 */
export class LoadCache {
  private constructor(
    private readonly file: string,
    private readonly header: string,
    private readonly known: Map<string, HashedEntry>,
  ) {}

  /** Reads the cache of the registry at `root`/`folder` under `dir` (empty when there is none to trust). */
  static async open(dir: string, root: string, folder: string): Promise<LoadCache> {
    const registry = path.join(path.resolve(root), folder);
    const name = createHash('sha256').update(registry).digest('hex').slice(0, 24);
    const file = path.join(dir, 'language-server', `${name}.jsonl`);
    const header = JSON.stringify({ aegisLoadCache: FORMAT, parser: await parserFingerprint(), registry });
    return new LoadCache(file, header, await readEntries(file, header));
  }

  /** How many files the cache holds. */
  get size(): number {
    return this.known.size;
  }

  /** The cached entry of `file` if it was loaded from the same bytes. */
  lookup(file: string, hash: string): LoadedFile | undefined {
    const known = this.known.get(file);
    return known?.hash === hash ? known.entry : undefined;
  }

  /** Replaces the cache with `entries` (the registry as just scanned): written aside, then renamed over it. */
  async save(entries: Map<string, HashedEntry>): Promise<void> {
    if (sameEntries(this.known, entries)) return;
    await mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    // Written in slices, like the read, each its own write: 10,000 entries are ~0.3 s of main-thread work, and
    // one string of them all (~18 MB), joined and written at once, made the longest pause 35-45 ms (4-9 ms so).
    const handle = await open(temp, 'w');
    try {
      let lines = [this.header];
      for (const [file, { hash, entry }] of entries) {
        lines.push(JSON.stringify([file, hash, entry], packRange));
        if (lines.length < WRITE_SLICE) continue;
        await handle.write(lines.join('\n') + '\n');
        lines = [];
      }
      await handle.write(lines.length > 0 ? lines.join('\n') + '\n' : '');
    } finally {
      await handle.close();
    }
    await rename(temp, this.file);
    await prune(path.dirname(this.file));
  }
}

async function readEntries(file: string, header: string): Promise<Map<string, HashedEntry>> {
  const known = new Map<string, HashedEntry>();
  const size = await stat(file).then(
    (s) => s.size,
    () => 0,
  );
  if (size === 0 || size > MAX_CACHE_BYTES) return known;
  const lines = linesOf(await readFile(file).catch(() => Buffer.alloc(0)));
  if (lines.next().value !== header) return known;
  let i = 0;
  for (const line of lines) {
    const parsed = parseLine(line);
    if (parsed) known.set(parsed[0], { hash: parsed[1], entry: parsed[2] });
    // Parsed in slices with a turn of the event loop between: requests on open files are answered meanwhile.
    if (++i % PARSE_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return known;
}

/**
 * The lines of `bytes`, each decoded when it is reached: decoding ~18 MB at once (10,000 schemas) held the main
 * thread 12-19 ms before the first slice.
 */
function* linesOf(bytes: Buffer): Generator<string, void, undefined> {
  for (let start = 0; start < bytes.length;) {
    const newline = bytes.indexOf(10, start);
    const end = newline < 0 ? bytes.length : newline;
    yield bytes.toString('utf8', start, end);
    start = end + 1;
  }
}

function parseLine(line: string): [string, string, LoadedFile] | undefined {
  if (line === '') return undefined;
  try {
    const value: unknown = JSON.parse(line);
    if (!Array.isArray(value) || value.length !== 3) return undefined;
    const [file, hash, entry] = value as [unknown, unknown, unknown];
    const fits = typeof file === 'string' && typeof hash === 'string' && isEntryOf(entry, file);
    return fits ? [file, hash, unpackRanges(entry)] : undefined;
  } catch {
    // A line cut short (a crash mid-write of another build): that file is loaded again.
    return undefined;
  }
}

// Every range in core's model and diagnostics is a property named `range`.
function packRange(key: string, value: unknown): unknown {
  if (key !== 'range' || typeof value !== 'object' || value === null || !('start' in value)) return value;
  const { start, end } = value as Range;
  return [start.line, start.character, end.line, end.character];
}

/** Turns packed ranges back into core's shared ones, in place (a walk: far cheaper than a `JSON.parse` reviver). */
function unpackRanges<T>(value: T): T {
  if (Array.isArray(value)) {
    for (const item of value) if (typeof item === 'object' && item !== null) unpackRanges(item);
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    if (typeof item !== 'object' || item === null) continue;
    if (key === 'range' && Array.isArray(item)) record[key] = toRange(item);
    else unpackRanges(item);
  }
  return value;
}

function toRange(packed: unknown[]): unknown {
  const [a, b, c, d] = packed;
  const numbers = typeof a === 'number' && typeof b === 'number' && typeof c === 'number' && typeof d === 'number';
  return numbers && packed.length === 4 ? internRange(a, b, c, d) : packed;
}

function isEntryOf(entry: unknown, file: string): entry is LoadedFile {
  if (typeof entry !== 'object' || entry === null) return false;
  const e = entry as Partial<LoadedFile>;
  return e.file === file && (e.kind === 'schema' || e.kind === 'metadata') && Array.isArray(e.diagnostics);
}

function sameEntries(a: Map<string, HashedEntry>, b: Map<string, HashedEntry>): boolean {
  if (a.size !== b.size) return false;
  for (const [file, { hash }] of b) if (a.get(file)?.hash !== hash) return false;
  return true;
}

/** Keeps the caches of the most recently written workspaces; deletes the rest (and stray temporary files). */
async function prune(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const dated = await Promise.all(
    names.map(async (name) => ({
      name,
      at: await stat(path.join(dir, name)).then(
        (s) => s.mtimeMs,
        () => 0,
      ),
    })),
  );
  dated.sort((x, y) => y.at - x.at);
  const old = dated.filter((d, i) => i >= MAX_WORKSPACES || (d.name.endsWith('.tmp') && Date.now() - d.at > 60_000));
  await Promise.all(old.map((d) => rm(path.join(dir, d.name), { force: true })));
}
