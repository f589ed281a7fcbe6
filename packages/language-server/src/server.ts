import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
} from 'vscode-languageserver/node';
import type { Connection, FileSystemWatcher, InitializeParams, ServerCapabilities } from 'vscode-languageserver/node';
import { CREATE_SCHEMA_FILE_COMMAND } from './features/code-actions.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageSession } from './language-session.js';
import { defaultCacheDir } from './load-cache.js';
import { Registries } from './registries.js';
import { routeEdits, routeQueries } from './route-requests.js';
import { scanProgressReporter } from './scan-progress-reporter.js';
import type { ServerState } from './server-state.js';

/** Options the client may pass in `initializationOptions`. */
export interface InitializationOptions {
  /** The schema folder relative to the workspace root (default `.kiro/schemas`). */
  schemaFolder?: string;
  /** Whether the server registers its own file watchers (default true; the VS Code extension watches itself). */
  registerWatchers?: boolean;
  /**
   * Whether loaded files are cached across sessions under `$XDG_CACHE_HOME/aegis` (default true; see
   * docs/editor.md). `AEGIS_CACHE_DIR` moves the cache.
   */
  cache?: boolean;
}

/** What the server offers; the ERD is the custom request `aegis/erd`. */
export const SERVER_CAPABILITIES: ServerCapabilities = {
  workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
  textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
  completionProvider: { triggerCharacters: [':', ' ', '[', ','] },
  hoverProvider: true,
  definitionProvider: true,
  referencesProvider: true,
  renameProvider: { prepareProvider: true },
  documentSymbolProvider: true,
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
  executeCommandProvider: { commands: [CREATE_SCHEMA_FILE_COMMAND] },
};

/**
 * The watcher to register: a pattern relative to the schema folder where the client supports it, else a
 * glob that matches absolute paths (leading globstar; eglot matches globs against absolute paths, so a relative
 * one never matches).
 */
export function watcherFor(params: InitializeParams, rootDir: string, schemaFolder: string): FileSystemWatcher {
  const files = '**/*.{yaml,yml}';
  if (params.capabilities.workspace?.didChangeWatchedFiles?.relativePatternSupport === true) {
    const base = path.join(rootDir, ...schemaFolder.split('/').filter((p) => p !== ''));
    return { globPattern: { baseUri: pathToFileURL(base).href, pattern: files } };
  }
  return { globPattern: `**/${schemaFolder === '' ? '' : `${schemaFolder}/`}${files}` };
}

/** The workspace folders (absolute paths): every folder given, else the root URI or path, else the cwd. */
function foldersOf(params: InitializeParams): string[] {
  const folders = (params.workspaceFolders ?? []).map((f) => f.uri).filter((u) => u.startsWith('file:'));
  if (folders.length > 0) return folders.map((u) => fileURLToPath(u));
  if (params.rootUri) return [fileURLToPath(params.rootUri)];
  return [params.rootPath ?? process.cwd()];
}

/**
 * Starts the language server on stdio (or the given connection). Only wiring lives here: events go to
 * `LanguageSession`, each request to a plain feature function (`route-requests.ts`).
 */
export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): Connection {
  const documents = new TextDocuments(TextDocument);
  const state: ServerState = { registries: undefined, canRenameFiles: false, canCreateFiles: false };
  let watchers: (folder: string) => FileSystemWatcher | undefined = () => undefined;
  let followFolders = false;

  connection.onInitialize((params) => {
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    const edit = params.capabilities.workspace?.workspaceEdit;
    // Resource operations exist only inside `documentChanges`, so a client listing them takes those
    // (Neovim 0.7 lists rename and create without setting `documentChanges`, and applies them).
    const operations = edit?.resourceOperations ?? [];
    state.canRenameFiles = operations.includes('rename');
    state.canCreateFiles = operations.includes('create');
    const schemaFolder = (options.schemaFolder ?? '.kiro/schemas').replace(/\/+$/, '');
    const dynamic = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    if (dynamic && options.registerWatchers !== false) watchers = (folder) => watcherFor(params, folder, schemaFolder);
    followFolders = params.capabilities.workspace?.workspaceFolders === true;
    const progress = params.capabilities.window?.workDoneProgress === true;
    state.registries = new Registries(
      {
        schemaFolder,
        publish: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
        logError: (message) => connection.console.error(message),
        // A client that registers no watcher (and is not watching itself) would never tell us of disk changes.
        watchDisk: !dynamic && options.registerWatchers !== false,
        cacheDir: options.cache === false ? undefined : defaultCacheDir(),
      },
      progress
        ? (root) => scanProgressReporter(connection, `Aegis: loading schemas (${path.basename(root)})`)
        : undefined,
    );
    state.registries.open(foldersOf(params));
    return { capabilities: SERVER_CAPABILITIES, serverInfo: { name: 'aegis-language-server', version: '0.1.0' } };
  });

  // One relative pattern per folder; the absolute glob covers every folder, so it is registered once.
  const register = (folders: string[]): void => {
    const list = folders.map(watchers).filter((w) => w !== undefined);
    const unique = list.filter((w, i) => typeof w.globPattern !== 'string' || i === 0);
    if (unique.length > 0)
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: unique });
  };

  connection.onInitialized(() => {
    register(state.registries?.folders ?? []);
    if (!followFolders) return;
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const added = e.added.map((f) => fileURLToPath(f.uri));
      state.registries?.change(
        added,
        e.removed.map((f) => fileURLToPath(f.uri)),
      );
      if (typeof watchers('/')?.globPattern === 'object') register(added);
    });
  });

  const sessionOf = (uri: string): LanguageSession | undefined => state.registries?.for(uri);
  documents.onDidChangeContent((e) => void sessionOf(e.document.uri)?.changed(e.document.uri, e.document.getText()));
  documents.onDidClose((e) => void sessionOf(e.document.uri)?.closed(e.document.uri));
  documents.onDidSave((e) => void sessionOf(e.document.uri)?.saved(e.document.uri));
  connection.onShutdown(() => state.registries?.dispose());
  connection.onDidChangeWatchedFiles((p) => state.registries?.watched(p.changes));
  routeQueries(connection, documents, state);
  routeEdits(connection, documents, state);

  documents.listen(connection);
  connection.listen();
  return connection;
}
