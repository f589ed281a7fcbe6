import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { ERD_REQUEST, showErdPanel } from './erd-panel.js';
import type { ErdParams } from './erd-panel.js';
import { warnOfYamlAssociations } from './warn-of-yaml-associations.js';
import { DEFAULT_SCHEMA_FOLDER, trimFolder } from './yaml-associations.js';

let client: LanguageClient | undefined;

/** The schema folder setting (in Restricted Mode VS Code hands the default: it is a restricted setting). */
function schemaFolder(): string {
  return trimFolder(vscode.workspace.getConfiguration('aegis').get<string>('schemaFolder', DEFAULT_SCHEMA_FOLDER));
}

/** Starts the bundled language server for the current schema folder (.yaml and .yml, subfolders included). */
async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const folder = schemaFolder();
  const module = context.asAbsolutePath('dist/server.cjs');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--inspect=6010'] } },
  };
  const watcher = vscode.workspace.createFileSystemWatcher(`**/${folder}/**/*.{yaml,yml}`);
  context.subscriptions.push(watcher);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'yaml', pattern: `**/${folder}/**/*.{yaml,yml}` }],
    synchronize: { fileEvents: watcher },
    // The client watches the folder itself (fileEvents above), so the server need not register watchers.
    initializationOptions: { schemaFolder: folder, registerWatchers: false },
  };
  client = new LanguageClient('aegis', 'Aegis Schema Registry', serverOptions, clientOptions);
  await client.start();
}

/** Stops the server and starts it again with the current settings. */
async function restartClient(context: vscode.ExtensionContext): Promise<void> {
  const previous = client;
  client = undefined;
  await previous?.stop();
  await startClient(context);
}

/** Starts the language server and registers the ER diagram and restart commands. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  await startClient(context);
  const showErd = async (params: ErdParams, title: string): Promise<void> => {
    if (!client) return;
    const result = await client.sendRequest<{ mermaid: string }>(ERD_REQUEST, params);
    showErdPanel(context, result.mermaid, title);
  };
  context.subscriptions.push(
    vscode.commands.registerCommand('aegis.showErd', () => showErd({}, 'ER diagram: registry')),
    vscode.commands.registerCommand('aegis.showSchemaErd', () => {
      const uri = vscode.window.activeTextEditor?.document.uri.toString();
      const depth = vscode.workspace.getConfiguration('aegis').get<number>('erd.depth', 1);
      return uri ? showErd({ uri, depth }, `ER diagram: ${uri.split('/').pop() ?? ''}`) : showErd({}, 'ER diagram');
    }),
    vscode.commands.registerCommand('aegis.restartServer', () => restartClient(context)),
    vscode.workspace.onDidChangeConfiguration((event) =>
      event.affectsConfiguration('aegis.schemaFolder') ? restartClient(context) : undefined,
    ),
  );
  // The server alone reports structure (docs/editor.md): Red Hat's YAML extension gets no JSON Schema from us.
  warnOfYamlAssociations(schemaFolder());
}

/** Stops the server with the extension. */
export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
