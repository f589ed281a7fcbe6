import { existsSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** A change seen on disk: the absolute path and whether it still exists. */
export interface DiskChange {
  path: string;
  exists: boolean;
}

/** How long changes are gathered before they are handed on (an editor's save is several events). */
const BATCH_MS = 30;

/**
 * The server's own watcher, for clients that register no file watcher (Neovim 0.7): one non-recursive
 * `fs.watch` per directory of the schema folder, at most `limit` directories (inotify watches are a
 * per-user resource), subfolders created later included (with the files already in them when they are
 * seen). A schema folder that does not exist yet is waited for: its nearest existing ancestor (not above
 * `within`) is watched until it appears. Changes arrive in batches, each path once.
 */
export class FolderWatcher {
  readonly #watchers = new Map<string, FSWatcher>();
  readonly #pending = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  /** While the folder does not exist: the watcher on its nearest existing ancestor. */
  #ancestor: FSWatcher | undefined;

  private constructor(
    readonly limit: number,
    readonly onChanges: (changes: DiskChange[]) => void,
    readonly onLimit: (folder: string) => void,
  ) {}

  /**
   * Watches `folder` and every directory below it. A folder that does not exist is waited for below `within`
   * (default: its parent); once it appears, the files in it are reported like any other change.
   */
  static async start(
    folder: string,
    onChanges: (changes: DiskChange[]) => void,
    options: { limit?: number; onLimit?: (folder: string) => void; within?: string } = {},
  ): Promise<FolderWatcher> {
    const watcher = new FolderWatcher(options.limit ?? 256, onChanges, options.onLimit ?? (() => undefined));
    if (existsSync(folder)) await watcher.#add(folder);
    else watcher.#waitFor(folder, path.resolve(options.within ?? path.dirname(folder)));
    return watcher;
  }

  /** How many directories are watched. */
  get size(): number {
    return this.#watchers.size;
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#ancestor?.close();
    for (const w of this.#watchers.values()) w.close();
    this.#watchers.clear();
  }

  /** Watches the nearest existing ancestor of `folder` until the next directory towards it appears. */
  #waitFor(folder: string, within: string): void {
    if (this.#closed) return;
    if (existsSync(folder)) {
      this.#seen(folder);
      return;
    }
    let dir = path.dirname(folder);
    while (!existsSync(dir) && dir.startsWith(`${within}${path.sep}`)) dir = path.dirname(dir);
    if (!existsSync(dir) || (dir !== within && !dir.startsWith(`${within}${path.sep}`))) return;
    const next = path.join(dir, path.relative(dir, folder).split(path.sep)[0] ?? '');
    try {
      this.#ancestor = watch(dir, () => {
        if (!existsSync(next)) return;
        this.#ancestor?.close();
        this.#ancestor = undefined;
        this.#waitFor(folder, within);
      });
    } catch {
      return;
    }
    this.#ancestor.on('error', () => this.#ancestor?.close());
    // It may have appeared between the check and the watch.
    if (existsSync(next)) {
      this.#ancestor.close();
      this.#ancestor = undefined;
      this.#waitFor(folder, within);
    }
  }

  /** Watches `dir` and the directories below it; `found` collects the files already there. */
  async #add(dir: string, found?: string[]): Promise<void> {
    if (this.#closed || this.#watchers.has(dir)) return;
    if (this.#watchers.size >= this.limit) return this.onLimit(dir);
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, (_event, name) => this.#seen(name === null ? dir : path.join(dir, String(name))));
    } catch {
      return;
    }
    watcher.on('error', () => this.#forget(dir));
    this.#watchers.set(dir, watcher);
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.isDirectory()) await this.#add(path.join(dir, entry.name), found);
      else found?.push(path.join(dir, entry.name));
    }
  }

  #forget(dir: string): void {
    this.#watchers.get(dir)?.close();
    this.#watchers.delete(dir);
  }

  #seen(file: string): void {
    this.#pending.add(file);
    this.#timer ??= setTimeout(() => void this.#flush(), BATCH_MS);
  }

  async #flush(): Promise<void> {
    this.#timer = undefined;
    const files = [...this.#pending];
    this.#pending.clear();
    const changes: DiskChange[] = [];
    for (const file of files) {
      const info = await stat(file).catch(() => undefined);
      // A directory seen now may already hold files written before it was watched (a copy, a checkout).
      const found: string[] = [];
      if (info?.isDirectory()) await this.#add(file, found);
      if (!info) for (const dir of [...this.#watchers.keys()]) if (!existsSync(dir)) this.#forget(dir);
      changes.push({ path: file, exists: info !== undefined }, ...found.map((f) => ({ path: f, exists: true })));
    }
    if (!this.#closed && changes.length > 0) this.onChanges(changes);
  }
}
