import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CREATE_SCHEMA_FILE_COMMAND, codeActions } from './features/code-actions.js';
import { completion } from './features/completion.js';
import { definition } from './features/definition.js';
import { documentSymbols } from './features/document-symbols.js';
import { ERD_REQUEST, erd } from './features/erd.js';
import type { ErdParams } from './features/erd.js';
import { hover } from './features/hover.js';
import { references } from './features/references.js';
import { prepareRename, rename } from './features/rename.js';
import type { LanguageSession } from './language-session.js';
import type { ServerState } from './server-state.js';

type Answer<T> = (session: LanguageSession, file: string) => T;

/** Runs a feature for a registry file after every pending event; other files (or no session yet) get `empty`. */
function forFile<T>(state: ServerState, uri: string, empty: T, answer: Answer<T>, whole = false): Promise<T> | T {
  const s = state.registries?.for(uri);
  if (!s) return empty;
  return s.request(() => {
    const file = s.pathOf(uri);
    return file === undefined ? empty : answer(s, file);
  }, whole);
}

/** The registry an ERD is asked of: the one holding the file, else the one holding the schema, else the first. */
function erdSession(state: ServerState, params: ErdParams | undefined): LanguageSession | undefined {
  const all = state.registries?.all ?? [];
  if (params?.uri !== undefined) return state.registries?.for(params.uri) ?? all[0];
  const name = params?.schema;
  return (name === undefined ? undefined : all.find((s) => s.workspace.schemaNamed(name))) ?? all[0];
}

/** Read-only requests: each goes straight to its feature function. */
export function routeQueries(connection: Connection, documents: TextDocuments<TextDocument>, state: ServerState): void {
  connection.onCompletion((p) =>
    forFile(state, p.textDocument.uri, { isIncomplete: false, items: [] }, (s, f) =>
      completion(s.workspace, f, documents.get(p.textDocument.uri)?.getText() ?? s.textOf(f) ?? '', p.position),
    ),
  );
  connection.onHover((p) =>
    forFile(state, p.textDocument.uri, null, (s, f) => hover(s.workspace, f, p.position) ?? null),
  );
  connection.onDefinition((p) =>
    forFile(state, p.textDocument.uri, [], (s, f) => definition(s.workspace, s.uris, f, p.position)),
  );
  connection.onReferences((p) =>
    forFile(
      state,
      p.textDocument.uri,
      [],
      (s, f) => references(s.workspace, s.uris, f, p.position, p.context.includeDeclaration),
      true,
    ),
  );
  connection.onDocumentSymbol((p) =>
    forFile(state, p.textDocument.uri, [], (s, f) => documentSymbols(s.workspace.schemaOf(f))),
  );
  connection.onRequest(ERD_REQUEST, async (params: ErdParams | undefined) => {
    const s = erdSession(state, params);
    if (!s) throw new ResponseError(ErrorCodes.ServerNotInitialized, 'The server is not initialized.');
    const result = await s.request(() => erd(s.workspace, s.uris, params), true);
    if ('error' in result) throw new ResponseError(ErrorCodes.InvalidParams, result.error);
    return result;
  });
}

/** Requests that answer with edits: quick fixes and rename. */
export function routeEdits(connection: Connection, documents: TextDocuments<TextDocument>, state: ServerState): void {
  connection.onCodeAction((p) =>
    forFile(state, p.textDocument.uri, [], (s, f) =>
      codeActions(s.workspace, s.uris, f, p.context.diagnostics, state.canCreateFiles),
    ),
  );
  connection.onExecuteCommand(async (p) => {
    const [uri, text] = (p.arguments ?? []) as unknown[];
    const s = typeof uri === 'string' ? state.registries?.for(uri) : undefined;
    if (p.command !== CREATE_SCHEMA_FILE_COMMAND || !s || typeof uri !== 'string' || typeof text !== 'string')
      throw new ResponseError(ErrorCodes.InvalidParams, `Unknown command or arguments: ${p.command}`);
    const error = await s.createFile(uri, text);
    if (error) throw new ResponseError(ErrorCodes.InvalidRequest, error);
    return null;
  });
  connection.onPrepareRename((p) =>
    forFile(state, p.textDocument.uri, null, (s, f) => prepareRename(s.workspace, f, p.position) ?? null, true),
  );
  connection.onRenameRequest(async (p) => {
    const result = await forFile(
      state,
      p.textDocument.uri,
      { error: 'Not a schema file of this registry.' },
      (s, f) =>
        rename(s.workspace, s.uris, f, p.position, p.newName, {
          renameFiles: state.canRenameFiles,
          versionOf: (uri) => documents.get(uri)?.version ?? null,
        }),
      true,
    );
    if ('error' in result) throw new ResponseError(ErrorCodes.InvalidParams, result.error);
    return result;
  });
}
