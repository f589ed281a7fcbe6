import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveDashboard } from '../dashboard/serve-dashboard.js';
import type { OperationContext } from '../indexing/index.js';
import { createApiHandler } from './api-router.js';
import { ApiTokens } from './api-tokens.js';

/**
 * Everything under `/aegis/` on the bot's server: the API (`/aegis/api/v1/…`) and the dashboard page
 * (`/aegis/dashboard`). Tokens come from `AEGIS_API_TOKENS` / `AEGIS_API_TOKENS_FILE`.
 */
export function createAegisHttp(
  ops: OperationContext,
  env: NodeJS.ProcessEnv,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const api = createApiHandler(ops, ApiTokens.fromEnv(env));
  return async (req, res) => {
    if (await api(req, res)) return;
    if (serveDashboard(req, res)) return;
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  };
}
