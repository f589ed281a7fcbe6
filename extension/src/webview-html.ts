/** What the ER diagram page needs: where its two scripts live and what the webview may load. */
export interface ErdPageOptions {
  /** The Mermaid source to draw first. */
  diagram: string;
  /** URL of the bundled `mermaid.min.js`. */
  mermaidUrl: string;
  /** URL of the bundled `erd-view.js` that draws the diagram. */
  viewUrl: string;
  /** The origin the webview serves local resources from (VS Code's `webview.cspSource`). */
  cspSource: string;
  /** A fresh random value per page: only scripts carrying it run. */
  nonce: string;
  title?: string;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The HTML of the ER diagram webview. Pure, so a test can serve it to headless Chromium exactly as VS Code
 * would. The CSP allows nothing from the network: scripts only with the nonce, styles and images only from
 * the extension's own files (Mermaid writes inline styles into its SVG, hence 'unsafe-inline' for styles).
 */
export function webviewHtml(options: ErdPageOptions): string {
  const { cspSource, nonce } = options;
  const csp = [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'unsafe-inline'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(options.title ?? 'ER diagram')}</title>
<style>
  body { margin: 0; padding: 12px; font-family: sans-serif; background: #fff; color: #222; }
  #error { color: #b00020; white-space: pre-wrap; }
  #erd svg { max-width: none; }
</style>
</head>
<body data-state="loading">
<pre id="diagram" hidden>${escapeHtml(options.diagram)}</pre>
<div id="erd"></div>
<pre id="error"></pre>
<script nonce="${nonce}" src="${escapeHtml(options.mermaidUrl)}"></script>
<script nonce="${nonce}" src="${escapeHtml(options.viewUrl)}"></script>
</body>
</html>
`;
}
