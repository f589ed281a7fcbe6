import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EditQueue } from './edit-queue.js';
import { EncodingErrors } from './encoding-errors.js';
import { FileUris } from './file-uri.js';
import { FolderWatcher } from './folder-watcher.js';
import { scanRegistry } from './scan-registry.js';
import { unreportedFiles } from './scan-schema-folder.js';
import { Serial } from './serial.js';
import type { FileEvent, SessionOptions } from './session-options.js';
import { toFileEvent } from './session-options.js';
import { SessionPublisher } from './session-publisher.js';
import { recheckScanned, StartupScan } from './startup-scan.js';
import { Workspace } from './workspace.js';

export type { FileEvent, SessionOptions } from './session-options.js';

/**
 * The server's state and event handling without a connection: the workspace model, which files are open,
 * what each file last showed. Events and requests run in arrival order (see `Serial`), so a request always
 * sees the edits sent before it. `server.ts` wires an LSP connection to this; tests may drive it directly.
 */
export class LanguageSession {
  readonly workspace: Workspace;
  readonly uris: FileUris;
  readonly #serial = new Serial();
  readonly #open = new Map<string, string>();
  readonly #options: SessionOptions;
  readonly #encoding = new EncodingErrors();
  readonly #publisher: SessionPublisher;
  readonly #edits = new EditQueue(
    (task) => this.#run(task),
    (uri, text) => this.#apply(uri, text),
  );
  #watcher: FolderWatcher | undefined;
  /** While the start-up scan runs, files show only what they decide alone (the registry is not all known). */
  readonly #scan = new StartupScan();

  constructor(options: SessionOptions) {
    this.#options = options;
    this.workspace = new Workspace(options.schemaFolder ?? '.kiro/schemas');
    this.uris = new FileUris(options.rootDir);
    this.#publisher = new SessionPublisher(this.uris, this.#encoding, (uri, list) => options.publish(uri, list));
  }

  /**
   * Scans the schema folder off the request queue (requests on open files are answered meanwhile from what
   * is known, edits show their own diagnostics; files join the model batch by batch as they are loaded), then
   * checks every file across files and publishes what each has to show.
   */
  async start(): Promise<void> {
    this.#scan.begin();
    // Watching starts before the listing, so a change in between is not missed (what changes during the scan
    // replaces the scan's read of that file).
    if (this.#options.watchDisk) await this.#watchDisk().catch((error: unknown) => this.#logError(error));
    const scanned = await scanRegistry({
      root: this.uris.rootDir,
      folder: this.workspace.schemaFolder,
      include: (f) => this.workspace.includes(f),
      progress: this.#options.progress,
      worker: this.#options.worker,
      cacheDir: this.#options.cacheDir,
      logError: (message) => this.#options.logError?.(message),
      // Each batch joins the model as it comes, while the main thread would otherwise wait for the workers;
      // checked in its own task: a file opened or reloaded meanwhile keeps its newer text.
      onBatch: (entries) =>
        void this.#run(() =>
          this.workspace.addLoaded(entries.filter((e) => !this.#open.has(e.file) && this.#scan.isNewest(e.file))),
        ),
    }).catch((error: unknown) => (this.#logError(error), undefined));
    await recheckScanned({
      run: (task) => this.#run(task),
      finish: () => this.#scan.finish(),
      paths: () => [...this.#open.keys(), ...this.workspace.paths.filter((f) => !this.#open.has(f))],
      recheck: (files) => {
        this.workspace.recheck(files);
        this.#publish(files);
      },
    });
    // Only now: writing the cache holds the main thread for a while, better after than amid the publishing.
    await scanned?.saveCache();
  }

  /** Stops watching the disk. */
  dispose(): void {
    this.#watcher?.close();
  }

  /** The registry left the workspace: every file it showed something for is cleared. */
  clearAll(): void {
    this.#publisher.clearAll();
  }

  /** The registry path of a URI if it is a file of this registry. */
  pathOf(uri: string): string | undefined {
    const file = this.uris.toPath(uri);
    return file !== undefined && this.workspace.includes(file) ? file : undefined;
  }

  /** The editor's text of an open file. */
  textOf(file: string): string | undefined {
    return this.#open.get(file);
  }

  /**
   * A document was opened or edited: the editor's text now wins over the disk. Edits queue in arrival order,
   * coalesced per document (see `EditQueue`): superseded versions are skipped.
   */
  changed(uri: string, text: string): Promise<void> {
    return this.#edits.push(uri, text);
  }

  async #apply(uri: string, text: string): Promise<void> {
    const file = this.pathOf(uri);
    if (file === undefined) return;
    if (!this.#open.has(file)) await this.#checkEncoding(file);
    this.#open.set(file, text);
    this.#publish(this.workspace.update(file, text), file);
  }

  /** A document was saved: its bytes on disk may have changed encoding, and other files may have moved. */
  saved(uri: string): Promise<void> {
    return this.#run(async () => {
      await this.#reconcile();
      const file = this.pathOf(uri);
      if (file === undefined || !this.#open.has(file)) return;
      await this.#checkEncoding(file);
      this.#publish([file], file);
    });
  }

  /**
   * Creates a schema file on disk (the quick fix for clients that cannot apply file creations) and loads it;
   * an existing file is left as it is. Returns an error message, or undefined when done.
   */
  createFile(uri: string, text: string): Promise<string | undefined> {
    return this.#serial.run(async () => {
      const file = this.pathOf(uri);
      if (file === undefined) return `${uri} is not a schema file of this registry.`;
      const absolute = this.uris.toAbsolute(file);
      await mkdir(path.dirname(absolute), { recursive: true });
      const written = await writeFile(absolute, text, { flag: 'wx' }).then(
        () => true,
        () => false,
      );
      if (!written) return `${file} already exists.`;
      if (!this.#open.has(file)) await this.#reload(file);
      return undefined;
    });
  }

  /** A document was closed: the file on disk counts again (or the file is gone). */
  closed(uri: string): Promise<void> {
    this.#edits.drop(uri);
    return this.#run(async () => {
      const file = this.pathOf(uri);
      if (file === undefined || !this.#open.delete(file)) return;
      this.#encoding.forget(file);
      await this.#reload(file);
    });
  }

  /** Files changed on disk. Open files keep the editor's text until they are closed. */
  watched(events: FileEvent[]): Promise<void> {
    return this.#run(async () => {
      for (const event of events) {
        const file = this.pathOf(event.uri);
        if (file !== undefined && !this.#open.has(file)) await this.#reload(file);
        else if (event.type === 3) await this.#removeFolder(event.uri);
      }
    });
  }

  /**
   * Runs a request after every event sent before it. A request about the whole registry (`whole`: references,
   * rename, the ERD) also waits for the start-up scan: a rename must not miss the files not read yet.
   */
  request<T>(answer: () => T, whole = false): Promise<T> {
    if (!whole) return this.#serial.run(answer);
    // A rename must also not act on files that moved on disk unreported (see `#reconcile`).
    const run = (): Promise<T> =>
      this.#serial.run(async () => {
        await this.#reconcile();
        return answer();
      });
    return this.#scan.running ? this.#scan.ended.then(run) : run();
  }

  /**
   * Files added or removed on disk that no event reported (eglot 1.9 forwards no rename) are found from a
   * listing of the folder (names only: ~10 ms at 10,000 files), before whole-registry requests and on save.
   */
  async #reconcile(): Promise<void> {
    if (this.#scan.running) return;
    const { rootDir } = this.uris;
    const known = this.workspace.paths.filter((f) => !this.#open.has(f));
    const include = (f: string): boolean => this.workspace.includes(f) && !this.#open.has(f);
    for (const file of await unreportedFiles(rootDir, this.workspace.schemaFolder, include, known))
      await this.#reload(file);
  }

  /** A deleted folder arrives as one event for the folder: drop the files that were inside it. */
  async #removeFolder(uri: string): Promise<void> {
    const folder = this.uris.toPath(uri);
    if (folder === undefined) return;
    const inside = this.workspace.paths.filter((f) => f.startsWith(`${folder}/`) && !this.#open.has(f));
    for (const file of inside) await this.#reload(file);
  }

  async #watchDisk(): Promise<void> {
    const folder = this.uris.toAbsolute(this.workspace.schemaFolder);
    this.#watcher = await FolderWatcher.start(folder, (changes) => void this.watched(changes.map(toFileEvent)), {
      // A registry created later (`aegis init` in the editor's terminal) is waited for inside the workspace.
      within: this.uris.rootDir,
      onLimit: (dir) =>
        this.#options.logError?.(`aegis-language-server: too many folders to watch; not watching ${dir}`),
    });
  }

  /** The CLI reads the bytes on disk: an open file saved in another encoding gets its `yaml-syntax` error. */
  #checkEncoding(file: string): Promise<void> {
    return this.#encoding.check(file, this.uris.toAbsolute(file));
  }

  async #reload(file: string): Promise<void> {
    this.#scan.changed(file);
    const content = await readFile(this.uris.toAbsolute(file)).catch(() => undefined);
    this.#publish(content === undefined ? this.workspace.remove(file) : this.workspace.update(file, content));
  }

  /** Publishes the files whose lists changed; `always` (the file just edited) is published regardless. */
  #publish(files: Iterable<string>, always?: string): void {
    for (const file of files) {
      const own = this.workspace.file(file)?.diagnostics ?? [];
      this.#publisher.publish(file, this.#scan.running ? own : this.workspace.diagnostics(file), file === always);
    }
  }

  #run(task: () => void | Promise<void>): Promise<void> {
    return this.#serial.run(task).catch((error: unknown) => this.#logError(error));
  }

  #logError(error: unknown): void {
    this.#options.logError?.(
      `aegis-language-server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  }
}
