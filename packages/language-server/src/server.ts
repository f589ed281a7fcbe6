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
import { LanguageSession } from './language-session.js';
import { routeEdits, routeQueries } from './route-requests.js';
import type { ServerState } from './server-state.js';

/** Options the client may pass in `initializationOptions`. */
export interface InitializationOptions {
  /** The schema folder relative to the workspace root (default `.kiro/schemas`). */
  schemaFolder?: string;
  /** Whether the server registers its own file watchers (default true; the VS Code extension watches itself). */
  registerWatchers?: boolean;
}

/** What the server offers; the ERD is the custom request `aegis/erd`. */
export const SERVER_CAPABILITIES: ServerCapabilities = {
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

function rootOf(params: InitializeParams): string {
  const uri = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
  if (uri) return fileURLToPath(uri);
  return params.rootPath ?? process.cwd();
}

/**
 * Starts the language server on stdio (or the given connection). Only wiring lives here: events go to
 * `LanguageSession`, each request to a plain feature function (`route-requests.ts`).
 */
export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): Connection {
  const documents = new TextDocuments(TextDocument);
  const state: ServerState = { session: undefined, canRenameFiles: false, canCreateFiles: false };
  let watch: FileSystemWatcher | undefined;

  connection.onInitialize((params) => {
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    const edit = params.capabilities.workspace?.workspaceEdit;
    const operations = edit?.documentChanges === true ? (edit.resourceOperations ?? []) : [];
    state.canRenameFiles = operations.includes('rename');
    state.canCreateFiles = operations.includes('create');
    const schemaFolder = (options.schemaFolder ?? '.kiro/schemas').replace(/\/+$/, '');
    const rootDir = rootOf(params);
    const dynamic = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    const register = dynamic && options.registerWatchers !== false;
    watch = register ? watcherFor(params, rootDir, schemaFolder) : undefined;
    state.session = new LanguageSession({
      rootDir,
      schemaFolder,
      publish: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
      logError: (message) => connection.console.error(message),
      // A client that registers no watcher (and is not watching itself) would never tell us of disk changes.
      watchDisk: !dynamic && options.registerWatchers !== false,
    });
    return { capabilities: SERVER_CAPABILITIES, serverInfo: { name: 'aegis-language-server', version: '0.1.0' } };
  });

  connection.onInitialized(() => {
    if (watch !== undefined) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [watch] });
    }
    void state.session?.start();
  });

  documents.onDidChangeContent((e) => void state.session?.changed(e.document.uri, e.document.getText()));
  documents.onDidClose((e) => void state.session?.closed(e.document.uri));
  documents.onDidSave((e) => void state.session?.saved(e.document.uri));
  connection.onShutdown(() => state.session?.dispose());
  connection.onDidChangeWatchedFiles((p) => void state.session?.watched(p.changes));
  routeQueries(connection, documents, state);
  routeEdits(connection, documents, state);

  documents.listen(connection);
  connection.listen();
  return connection;
}
