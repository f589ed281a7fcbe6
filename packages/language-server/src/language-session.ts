import { isUtf8 } from 'node:buffer';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadFile } from '@aegis/core';
import type { Diagnostic, LoadedFile } from '@aegis/core';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import { DiagnosticMap } from './diagnostic-map.js';
import { EditQueue } from './edit-queue.js';
import { FileUris } from './file-uri.js';
import { FolderWatcher } from './folder-watcher.js';
import type { DiskChange } from './folder-watcher.js';
import { scanRegistry } from './scan-registry.js';
import type { ScanProgress } from './scan-registry.js';
import { unreportedFiles } from './scan-schema-folder.js';
import { Serial } from './serial.js';
import { toLspDiagnostic } from './to-lsp-diagnostic.js';
import { Workspace } from './workspace.js';

/** A watched-file event, as LSP's `workspace/didChangeWatchedFiles` carries it (1 created, 2 changed, 3 deleted). */
export interface FileEvent {
  uri: string;
  type: 1 | 2 | 3;
}

/** How a session reaches the disk and the client. */
export interface SessionOptions {
  /** The workspace root on disk. */
  rootDir: string;
  /** The schema folder relative to the root (default `.kiro/schemas`). */
  schemaFolder?: string;
  /** Sends a file's diagnostics to the client. */
  publish(uri: string, diagnostics: LspDiagnostic[]): void;
  /** Reports a failure that must not stop the server. */
  logError?(message: string): void;
  /** Watch the schema folder on disk itself (the client registers no file watcher). */
  watchDisk?: boolean;
  /** Told how the start-up scan advances. */
  progress?: ScanProgress;
  /** The start-up scan's worker script (default: the built one, if any). */
  worker?: URL;
  /** Where loaded files are cached across sessions (`LoadCache`); no cache when absent. */
  cacheDir?: string;
}

/**
 * The server's state and event handling without a connection: the workspace model, which files are open,
 * what each file last showed. Events and requests run in arrival order (see `Serial`), so a request always
 * sees the edits sent before it. `server.ts` wires an LSP connection to this; tests may drive it directly.
 */
export class LanguageSession {
  readonly workspace: Workspace;
  readonly uris: FileUris;
  readonly #shown = new DiagnosticMap();
  readonly #serial = new Serial();
  readonly #open = new Map<string, string>();
  readonly #options: SessionOptions;
  /** Open files whose bytes on disk are not UTF-8: the CLI's diagnostic, shown beside the editor's text. */
  readonly #encoding = new Map<string, Diagnostic>();
  readonly #edits = new EditQueue(
    (task) => this.#run(task),
    (uri, text) => this.#apply(uri, text),
  );
  #watcher: FolderWatcher | undefined;
  /** While the start-up scan runs, files show only what they decide alone (the registry is not all known). */
  #scanning = false;
  /** Settles when every file the scan read is in the model. */
  readonly #scanned: Promise<void>;
  #scanEnded: () => void = () => undefined;
  /** Files reloaded or removed while the scan ran: the scan's older read of them is dropped. */
  readonly #changedDuringScan = new Set<string>();

  constructor(options: SessionOptions) {
    this.#options = options;
    this.workspace = new Workspace(options.schemaFolder ?? '.kiro/schemas');
    this.uris = new FileUris(options.rootDir);
    this.#scanned = new Promise((resolve) => (this.#scanEnded = resolve));
  }

  /**
   * Scans the schema folder off the request queue (requests on open files are answered meanwhile from what
   * is known, edits show their own diagnostics), then adds every file and publishes what each has to show.
   */
  async start(): Promise<void> {
    this.#scanning = true;
    // Watching starts before the listing, so a change in between is not missed (what changes during the scan
    // replaces the scan's read of that file).
    if (this.#options.watchDisk) await this.#watchDisk().catch((error: unknown) => this.#logError(error));
    const scan = scanRegistry({
      root: this.uris.rootDir,
      folder: this.workspace.schemaFolder,
      include: (f) => this.workspace.includes(f),
      progress: this.#options.progress,
      worker: this.#options.worker,
      cacheDir: this.#options.cacheDir,
      logError: (message) => this.#options.logError?.(message),
    });
    const scanned = await scan.catch((error: unknown) => (this.#logError(error), undefined));
    await this.#merge(scanned?.entries ?? []);
    // Only now: writing the cache holds the main thread for a while, better after than amid the publishing.
    await scanned?.saveCache();
  }

  /**
   * The scan is done: every file it read that no edit or disk event has since replaced joins the workspace,
   * then every file is checked across files and published, open files first. Both in slices, each its own
   * task with a turn of the event loop between, so no request waits for the whole registry.
   */
  async #merge(loaded: LoadedFile[]): Promise<void> {
    // Checked again in each slice's task: a file opened or reloaded meanwhile keeps its newer text.
    const fresh = (e: LoadedFile): boolean => !this.#open.has(e.file) && !this.#changedDuringScan.has(e.file);
    for (let i = 0; i < loaded.length; i += MERGE_SLICE) {
      const slice = loaded.slice(i, i + MERGE_SLICE);
      await this.#run(() => this.workspace.addLoaded(slice.filter(fresh)));
      await nextTurn();
    }
    await this.#run(() => {
      this.#scanning = false;
      this.#changedDuringScan.clear();
      this.#scanEnded();
    });
    const paths = [...this.#open.keys(), ...this.workspace.paths.filter((f) => !this.#open.has(f))];
    for (let i = 0; i < paths.length; i += MERGE_SLICE) {
      const slice = paths.slice(i, i + MERGE_SLICE);
      await this.#run(() => {
        this.workspace.recheck(slice);
        this.#publish(slice);
      });
      await nextTurn();
    }
  }

  /** Stops watching the disk. */
  dispose(): void {
    this.#watcher?.close();
  }

  /** The registry left the workspace: every file it showed something for is cleared. */
  clearAll(): void {
    for (const uri of this.#shown.shown()) {
      this.#shown.forget(uri);
      this.#options.publish(uri, []);
    }
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
      this.#encoding.delete(file);
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
    return this.#scanning ? this.#scanned.then(run) : run();
  }

  /**
   * Files added or removed on disk that no event reported (eglot 1.9 forwards no rename) are found from a
   * listing of the folder (names only: ~10 ms at 10,000 files), before whole-registry requests and on save.
   */
  async #reconcile(): Promise<void> {
    if (this.#scanning) return;
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
      onLimit: (dir) =>
        this.#options.logError?.(`aegis-language-server: too many folders to watch; not watching ${dir}`),
    });
  }

  /** The CLI reads the bytes on disk: an open file saved in another encoding gets its `yaml-syntax` error. */
  async #checkEncoding(file: string): Promise<void> {
    const bytes = await readFile(this.uris.toAbsolute(file)).catch(() => undefined);
    const error = bytes && !isUtf8(bytes) ? loadFile(file, bytes).diagnostics[0] : undefined;
    if (error) this.#encoding.set(file, error);
    else this.#encoding.delete(file);
  }

  async #reload(file: string): Promise<void> {
    if (this.#scanning) this.#changedDuringScan.add(file);
    const content = await readFile(this.uris.toAbsolute(file)).catch(() => undefined);
    this.#publish(content === undefined ? this.workspace.remove(file) : this.workspace.update(file, content));
  }

  /** Publishes the files whose lists changed; `always` (the file just edited) is published regardless. */
  #publish(files: Iterable<string>, always?: string): void {
    for (const file of files) {
      const encoding = this.#encoding.get(file);
      const list = this.#scanning ? (this.workspace.file(file)?.diagnostics ?? []) : this.workspace.diagnostics(file);
      this.#publishList(
        file,
        (encoding ? [encoding, ...list] : list).map((d) => toLspDiagnostic(d, this.uris)),
        file === always,
      );
    }
  }

  #publishList(file: string, list: LspDiagnostic[], always: boolean): void {
    const uri = this.uris.toUri(file);
    if (this.#shown.update(uri, list) || always) this.#options.publish(uri, list);
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

/** Files added or checked in one task while the scan's results are merged. */
const MERGE_SLICE = 500;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const toFileEvent = (change: DiskChange): FileEvent => ({
  uri: pathToFileURL(change.path).href,
  type: change.exists ? 2 : 3,
});
