import { pathToFileURL } from 'node:url';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { DiskChange } from './folder-watcher.js';
import type { ScanProgress } from './scan-registry.js';

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

/** A change the session's own folder watcher saw, as the client would have reported it. */
export const toFileEvent = (change: DiskChange): FileEvent => ({
  uri: pathToFileURL(change.path).href,
  type: change.exists ? 2 : 3,
});
