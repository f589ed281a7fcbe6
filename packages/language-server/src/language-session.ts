import { isUtf8 } from 'node:buffer';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadFile } from '@aegis/core';
import type { Diagnostic } from '@aegis/core';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import { DiagnosticMap } from './diagnostic-map.js';
import { FileUris } from './file-uri.js';
import { FolderWatcher } from './folder-watcher.js';
import type { DiskChange } from './folder-watcher.js';
import { scanSchemaFolder } from './scan-schema-folder.js';
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
  /** The newest text of each open file whose edit is queued but not applied: older versions are skipped. */
  readonly #queued = new Map<string, string>();
  #watcher: FolderWatcher | undefined;
  #scanning = false;

  constructor(options: SessionOptions) {
    this.#options = options;
    this.workspace = new Workspace(options.schemaFolder ?? '.kiro/schemas');
    this.uris = new FileUris(options.rootDir);
  }

  /** Scans the schema folder and publishes every file that has something to show. */
  start(): Promise<void> {
    this.#scanning = true;
    return this.#run(async () => {
      try {
        const files = await scanSchemaFolder(this.uris.rootDir, this.workspace.schemaFolder, (f) =>
          this.workspace.includes(f),
        );
        this.#publish(this.workspace.loadAll(files.filter(([f]) => !this.#open.has(f))));
      } finally {
        this.#scanning = false;
      }
      if (this.#options.watchDisk) await this.#watchDisk();
    });
  }

  /** Stops watching the disk. */
  dispose(): void {
    this.#watcher?.close();
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
   * A document was opened or edited: the editor's text now wins over the disk. Edits queue in arrival order;
   * when several of one file are queued, only the newest is applied (each parse of a large file is costly).
   */
  changed(uri: string, text: string): Promise<void> {
    const early = this.#scanning && !this.#queued.has(uri) ? this.pathOf(uri) : undefined;
    // While the start-up scan runs (seconds on a large registry), show at once what the file decides alone
    // (syntax, JSON Schema, its own columns); the cross-file diagnostics follow when the scan is done.
    if (early !== undefined)
      this.#publishList(
        early,
        loadFile(early, text).diagnostics.map((d) => toLspDiagnostic(d, this.uris)),
        true,
      );
    const superseded = this.#queued.has(uri);
    this.#queued.set(uri, text);
    if (superseded) return Promise.resolve();
    return this.#run(async () => {
      const latest = this.#queued.get(uri) ?? text;
      this.#queued.delete(uri);
      const file = this.pathOf(uri);
      if (file === undefined) return;
      if (!this.#open.has(file)) await this.#checkEncoding(file);
      this.#open.set(file, latest);
      this.#publish(this.workspace.update(file, latest), file);
    });
  }

  /** A document was saved: its bytes on disk may have changed encoding. */
  saved(uri: string): Promise<void> {
    return this.#run(async () => {
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

  /** Runs a request after every event sent before it. */
  request<T>(answer: () => T): Promise<T> {
    return this.#serial.run(answer);
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
    const content = await readFile(this.uris.toAbsolute(file)).catch(() => undefined);
    this.#publish(content === undefined ? this.workspace.remove(file) : this.workspace.update(file, content));
  }

  /** Publishes the files whose lists changed; `always` (the file just edited) is published regardless. */
  #publish(files: Iterable<string>, always?: string): void {
    for (const file of files) {
      const encoding = this.#encoding.get(file);
      const list = this.workspace.diagnostics(file);
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
    return this.#serial.run(task).catch((error: unknown) => {
      this.#options.logError?.(
        `aegis-language-server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    });
  }
}

const toFileEvent = (change: DiskChange): FileEvent => ({
  uri: pathToFileURL(change.path).href,
  type: change.exists ? 2 : 3,
});
