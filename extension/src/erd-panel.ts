import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { webviewHtml } from './webview-html.js';

/** The custom request the server answers with a Mermaid erDiagram (see the language server's `erd-request`). */
export const ERD_REQUEST = 'aegis/erd';

/** Parameters of `aegis/erd`: the whole registry, or the schema of `uri` and its neighbours `depth` hops away. */
export interface ErdParams {
  uri?: string;
  depth?: number;
}

let panel: vscode.WebviewPanel | undefined;

/**
 * Shows (or refreshes) the ER diagram webview. Scripts and the renderer come only from the extension's own
 * `dist/` and `media/` folders; the webview has no network.
 */
export function showErdPanel(context: vscode.ExtensionContext, diagram: string, title: string): void {
  const roots = [vscode.Uri.joinPath(context.extensionUri, 'dist'), vscode.Uri.joinPath(context.extensionUri, 'media')];
  if (!panel) {
    panel = vscode.window.createWebviewPanel('aegis.erd', title, vscode.ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: roots,
    });
    panel.onDidDispose(() => (panel = undefined), undefined, context.subscriptions);
  }
  const webview = panel.webview;
  panel.title = title;
  webview.html = webviewHtml({
    diagram,
    title,
    cspSource: webview.cspSource,
    nonce: randomBytes(16).toString('base64'),
    mermaidUrl: webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'media', 'mermaid.min.js')).toString(),
    viewUrl: webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'dist', 'erd-view.js')).toString(),
  });
  panel.reveal(undefined, true);
}
