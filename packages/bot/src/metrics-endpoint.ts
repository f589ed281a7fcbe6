import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { BotMetrics } from './metrics.js';

/** Who may scrape `/metrics`: everyone who reaches it, or only a bearer of `AEGIS_METRICS_TOKEN`. */
export interface MetricsAccess {
  token?: string | undefined;
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

function allowed(req: IncomingMessage, token: string | undefined): boolean {
  if (!token) return true;
  const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(given), digest(token));
}

/**
 * Serves the Prometheus exposition. With a token, a scrape without `Authorization: Bearer <token>` is a 401
 * (compared timing-safe); the metrics then stay private even where the app's port is public.
 */
export function metricsEndpoint(
  metrics: BotMetrics,
  access: MetricsAccess,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    if (!allowed(req, access.token)) {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="aegis-metrics"' });
      res.end('a bearer token is required (AEGIS_METRICS_TOKEN)');
      return;
    }
    const { contentType, body } = await metrics.render();
    res.writeHead(200, { 'content-type': contentType }).end(body);
  };
}

/**
 * `/metrics` on its own address (`AEGIS_METRICS_LISTEN`), e.g. a private interface while the app's port faces
 * GitHub; everything else there is a 404. Resolves once it listens.
 */
export async function serveMetricsApart(
  scrape: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  listen: { host: string; port: number },
  log: { warn(obj: unknown, msg?: string): void },
): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    scrape(req, res).catch((error: unknown) => {
      log.warn({ err: error }, 'metrics scrape failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    });
  });
  await new Promise<void>((resolve) => server.listen(listen.port, listen.host, resolve));
  return server;
}
