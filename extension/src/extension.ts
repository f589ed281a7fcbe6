import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { ERD_REQUEST, showErdPanel } from './erd-panel.js';
import type { ErdParams } from './erd-panel.js';

let client: LanguageClient | undefined;

/** Starts the bundled language server for the schema folder and registers the ER diagram commands. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const config = vscode.workspace.getConfiguration('aegis');
  const folder = config.get<string>('schemaFolder', '.kiro/schemas').replace(/\/+$/, '');
  const module = context.asAbsolutePath('dist/server.cjs');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'yaml', pattern: `**/${folder}/**/*.{yaml,yml}` }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher(`**/${folder}/**/*.{yaml,yml}`) },
    // The client watches the folder itself (fileEvents above), so the server need not register watchers.
    initializationOptions: { schemaFolder: folder, registerWatchers: false },
  };
  client = new LanguageClient('aegis', 'Aegis Schema Registry', serverOptions, clientOptions);
  await client.start();

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
  );
}

/** Stops the server with the extension. */
export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
