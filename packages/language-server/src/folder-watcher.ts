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
 * per-user resource), subfolders created later included. Changes arrive in batches, each path once.
 */
export class FolderWatcher {
  readonly #watchers = new Map<string, FSWatcher>();
  readonly #pending = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  private constructor(
    readonly limit: number,
    readonly onChanges: (changes: DiskChange[]) => void,
    readonly onLimit: (folder: string) => void,
  ) {}

  /** Watches `folder` and every directory below it; a folder that does not exist is not watched. */
  static async start(
    folder: string,
    onChanges: (changes: DiskChange[]) => void,
    options: { limit?: number; onLimit?: (folder: string) => void } = {},
  ): Promise<FolderWatcher> {
    const watcher = new FolderWatcher(options.limit ?? 256, onChanges, options.onLimit ?? (() => undefined));
    await watcher.#add(folder);
    return watcher;
  }

  /** How many directories are watched. */
  get size(): number {
    return this.#watchers.size;
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    for (const w of this.#watchers.values()) w.close();
    this.#watchers.clear();
  }

  async #add(dir: string): Promise<void> {
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
    for (const entry of entries) if (entry.isDirectory()) await this.#add(path.join(dir, entry.name));
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
      if (info?.isDirectory()) await this.#add(file);
      if (!info) for (const dir of [...this.#watchers.keys()]) if (!existsSync(dir)) this.#forget(dir);
      changes.push({ path: file, exists: info !== undefined });
    }
    if (!this.#closed && changes.length > 0) this.onChanges(changes);
  }
}
