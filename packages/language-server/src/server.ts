import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
} from 'vscode-languageserver/node';
import type { Connection, InitializeParams, InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions } from './features/code-actions.js';
import { completion } from './features/completion.js';
import { definition } from './features/definition.js';
import { documentSymbols } from './features/document-symbols.js';
import { ERD_REQUEST, erd } from './features/erd.js';
import type { ErdParams } from './features/erd.js';
import { hover } from './features/hover.js';
import { references } from './features/references.js';
import { prepareRename, rename } from './features/rename.js';
import { LanguageSession } from './language-session.js';

/** Options the client may pass in `initializationOptions`. */
export interface InitializationOptions {
  /** The schema folder relative to the workspace root (default `.kiro/schemas`). */
  schemaFolder?: string;
  /** Whether the server registers its own file watchers (default true; the VS Code extension watches itself). */
  registerWatchers?: boolean;
}

function rootOf(params: InitializeParams): string {
  const uri = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
  if (uri) return fileURLToPath(uri);
  return params.rootPath ?? process.cwd();
}

/**
 * Starts the language server on stdio (or the given connection). Only wiring lives here: each request goes
 * to a plain feature function, state lives in `LanguageSession`.
 */
export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): Connection {
  const documents = new TextDocuments(TextDocument);
  let session: LanguageSession | undefined;
  let canEditFiles = false;
  let options: InitializationOptions = {};
  let watcherRegistration = false;

  connection.onInitialize((params): InitializeResult => {
    options = (params.initializationOptions ?? {}) as InitializationOptions;
    const edit = params.capabilities.workspace?.workspaceEdit;
    canEditFiles = edit?.documentChanges === true && (edit.resourceOperations ?? []).includes('rename');
    watcherRegistration = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    session = new LanguageSession({
      rootDir: rootOf(params),
      schemaFolder: options.schemaFolder ?? '.kiro/schemas',
      publish: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
      logError: (message) => connection.console.error(message),
    });
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: [':', ' ', '[', ','] },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'aegis-language-server', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    if (!session) return;
    if (watcherRegistration && options.registerWatchers !== false) {
      const globPattern = `${session.workspace.schemaFolder}/**/*.{yaml,yml}`;
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern }] });
    }
    void session.start();
  });

  documents.onDidChangeContent((e) => void session?.changed(e.document.uri, e.document.getText()));
  documents.onDidClose((e) => void session?.closed(e.document.uri));
  connection.onDidChangeWatchedFiles((p) => void session?.watched(p.changes));

  /** Runs a feature for a registry file after pending events; other files get `empty`. */
  const at = <T>(uri: string, empty: T, answer: (s: LanguageSession, file: string) => T): Promise<T> | T => {
    const s = session;
    return s ? s.request(() => {
      const file = s.pathOf(uri);
      return file === undefined ? empty : answer(s, file);
    }) : empty;
  };

  connection.onCompletion((p) => at(p.textDocument.uri, [], (s, f) => completion(s.workspace, f, s.textOf(f) ?? documents.get(p.textDocument.uri)?.getText() ?? '', p.position)));
  connection.onHover((p) => at(p.textDocument.uri, null, (s, f) => hover(s.workspace, f, p.position) ?? null));
  connection.onDefinition((p) => at(p.textDocument.uri, [], (s, f) => definition(s.workspace, s.uris, f, p.position)));
  connection.onReferences((p) => at(p.textDocument.uri, [], (s, f) => references(s.workspace, s.uris, f, p.position, p.context.includeDeclaration)));
  connection.onDocumentSymbol((p) => at(p.textDocument.uri, [], (s, f) => documentSymbols(s.workspace.schemaOf(f))));
  connection.onCodeAction((p) => at(p.textDocument.uri, [], (s, f) => codeActions(s.workspace, s.uris, f, p.context.diagnostics, canEditFiles)));
  connection.onPrepareRename((p) => at(p.textDocument.uri, null, (s, f) => prepareRename(s.workspace, f, p.position) ?? null));
  connection.onRenameRequest(async (p) => {
    const result = await at(p.textDocument.uri, { error: 'Not a schema file of this registry.' }, (s, f) =>
      rename(s.workspace, s.uris, f, p.position, p.newName, {
        renameFiles: canEditFiles,
        versionOf: (uri) => documents.get(uri)?.version ?? null,
      }),
    );
    if ('error' in result) throw new ResponseError(ErrorCodes.InvalidParams, result.error);
    return result;
  });
  connection.onRequest(ERD_REQUEST, async (params: ErdParams | undefined) => {
    const s = session;
    if (!s) throw new ResponseError(ErrorCodes.ServerNotInitialized, 'The server is not initialized.');
    const result = await s.request(() => erd(s.workspace, s.uris, params));
    if ('error' in result) throw new ResponseError(ErrorCodes.InvalidParams, result.error);
    return result;
  });

  documents.listen(connection);
  connection.listen();
  return connection;
}
