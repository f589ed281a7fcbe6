import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
} from 'vscode-languageserver/node';
import type { Connection, InitializeParams, ServerCapabilities } from 'vscode-languageserver/node';
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
  textDocumentSync: TextDocumentSyncKind.Incremental,
  completionProvider: { triggerCharacters: [':', ' ', '[', ','] },
  hoverProvider: true,
  definitionProvider: true,
  referencesProvider: true,
  renameProvider: { prepareProvider: true },
  documentSymbolProvider: true,
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
};

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
  const state: ServerState = { session: undefined, canEditFiles: false };
  let watch: string | undefined;

  connection.onInitialize((params) => {
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    const edit = params.capabilities.workspace?.workspaceEdit;
    state.canEditFiles = edit?.documentChanges === true && (edit.resourceOperations ?? []).includes('rename');
    const schemaFolder = (options.schemaFolder ?? '.kiro/schemas').replace(/\/+$/, '');
    const dynamic = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    watch = dynamic && options.registerWatchers !== false ? `${schemaFolder}/**/*.{yaml,yml}` : undefined;
    state.session = new LanguageSession({
      rootDir: rootOf(params),
      schemaFolder,
      publish: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
      logError: (message) => connection.console.error(message),
    });
    return { capabilities: SERVER_CAPABILITIES, serverInfo: { name: 'aegis-language-server', version: '0.1.0' } };
  });

  connection.onInitialized(() => {
    if (watch !== undefined) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: watch }] });
    }
    void state.session?.start();
  });

  documents.onDidChangeContent((e) => void state.session?.changed(e.document.uri, e.document.getText()));
  documents.onDidClose((e) => void state.session?.closed(e.document.uri));
  connection.onDidChangeWatchedFiles((p) => void state.session?.watched(p.changes));
  routeQueries(connection, documents, state);
  routeEdits(connection, documents, state);

  documents.listen(connection);
  connection.listen();
  return connection;
}
