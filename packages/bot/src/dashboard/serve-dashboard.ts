import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DASHBOARD_SCRIPT } from './dashboard-script.js';

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1f2328; }
h1 { font-size: 1.3rem; } h2 { font-size: 1.05rem; margin-top: 1.5rem; }
table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; }
th { background: #f6f8fa; } .state { padding: 0 .4rem; border-radius: 1rem; background: #ddf4ff; }
.LOCKED_FOR_WRITE { background: #ffebe9; } .READY { background: #dafbe1; } .ERROR { background: #ff8182; } .ARCHIVED { background: #eaeef2; }
#status, #who, #totals { color: #57606a; margin: .3rem 0; } #action { font-weight: 600; } .ttl { font-variant-numeric: tabular-nums; }
`;

function page(nonce: string): string {
  const table = (id: string, heads: string[]): string =>
    `<table><thead><tr>${heads.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody id="${id}"></tbody></table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Aegis dashboard</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style nonce="${nonce}">${STYLE}</style></head>
<body>
<h1>Aegis — branches, locks and shadow builds</h1>
<form id="login"><label>API token <input id="token" type="password" autocomplete="off"></label> <button>Use token</button></form>
<p id="who"></p><p id="totals"></p><p id="status" role="status"></p><p id="action" role="alert"></p>
<h2>Branches</h2>${table('branches', ['repository', 'branch', 'state', 'why', 'locks', ''])}
<h2>Locks</h2>${table('locks', ['branch', 'scope', 'kind', 'holder', 'reason', 'TTL left'])}
<h2>Shadow builds</h2>${table('shadows', ['branch', 'index', 'state', 'progress', 'ETA', 'id'])}
<h2>Recent audit</h2>${table('audit', ['at', 'action', 'actor', 'branch', 'reason'])}
<script nonce="${nonce}">${DASHBOARD_SCRIPT}</script>
</body></html>`;
}

/**
 * Serves `/aegis/dashboard`: one self-contained page (inline script and style under a nonce CSP, nothing
 * loaded from elsewhere) that reads the API with the token the user types. Answers false for other paths.
 */
export function serveDashboard(req: IncomingMessage, res: ServerResponse): boolean {
  const path = new URL(req.url ?? '/', 'http://aegis.invalid').pathname.replace(/\/$/, '');
  if (path !== '/aegis/dashboard' || req.method !== 'GET') return false;
  const nonce = randomBytes(16).toString('base64');
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
  });
  res.end(page(nonce));
  return true;
}
