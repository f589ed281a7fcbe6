import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveDashboard } from '../dashboard/serve-dashboard.js';
import type { OperationContext } from '../indexing/index.js';
import type { PolicyCache } from '../rbac/policy-cache.js';
import { createApiHandler } from './api-router.js';
import type { ApiTokens } from './api-tokens.js';

/**
 * Everything under `/aegis/` on the bot's server: the API (`/aegis/api/v1/…`) and the dashboard page
 * (`/aegis/dashboard`). `tokens` are the API's bearer tokens (`readBotOptions` reads them); `policies` the
 * repositories' policies their roles are judged by (the one cache the NATS bus shares).
 */
export function createAegisHttp(
  ops: OperationContext,
  tokens: ApiTokens,
  policies: Pick<PolicyCache, 'of'>,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const api = createApiHandler(ops, tokens, policies);
  return async (req, res) => {
    if (await api(req, res)) return;
    if (serveDashboard(req, res)) return;
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  };
}
