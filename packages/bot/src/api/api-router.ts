import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { actedOn } from '../indexing/acted-on.js';
import { handleCloudEvent } from '../indexing/cloud-event.js';
import type { Caller, OperationContext } from '../indexing/index.js';
import { runOperation } from '../indexing/run-operation.js';
import { apiPrincipal } from '../rbac/api-principal.js';
import type { PolicyCache } from '../rbac/policy-cache.js';
import { OPERATION_ROUTES, reportsFailure } from './api-routes.js';
import type { ApiIdentity, ApiTokens } from './api-tokens.js';
import { extraRoute } from './extra-routes.js';
import { HttpError } from '../errors.js';
import { correlationId } from '../delivery-errors.js';
import { decodeSegment, readJson, sendJson, toHttpError } from './http-io.js';
import { openApiDocument } from './openapi.js';
import { PollLimit } from './poll-limit.js';
import { toWire } from './wire-format.js';

/** The API's mount point. */
export const API_PREFIX = '/aegis/api/v1/';

/** Serves `/aegis/api/v1/*`; answers false for any other path (the caller passes it on). */
export type ApiHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

function authenticate(tokens: ApiTokens, req: IncomingMessage): ApiIdentity {
  const identity = tokens.identify(req.headers.authorization);
  if (!identity) {
    throw new HttpError(
      401,
      { error: 'Unauthorized', message: 'a valid bearer token is required (Authorization: Bearer <token>)' },
      { 'www-authenticate': 'Bearer realm="aegis"' },
    );
  }
  return identity;
}

/** The token holder as a caller in `repo`: its roles judged by that repository's policy (and its scope). */
async function callerIn(
  policies: Pick<PolicyCache, 'of'>,
  identity: ApiIdentity,
  req: IncomingMessage,
  repo: string | undefined,
): Promise<Caller> {
  const delivery = req.headers['x-request-id'];
  const userAgent = req.headers['user-agent'];
  return {
    identity: identity.name,
    principal: await apiPrincipal(policies, identity, repo),
    transport: 'api',
    delivery: typeof delivery === 'string' ? delivery : randomUUID(),
    ...(req.socket.remoteAddress ? { ipAddress: req.socket.remoteAddress } : {}),
    ...(userAgent ? { userAgent: userAgent.slice(0, 512) } : {}),
  };
}

/** The repository a CloudEvent's data names (`repo` or `repository`), if any. */
function eventRepo(body: Record<string, unknown>): string | undefined {
  const data = (body['data'] ?? {}) as Record<string, unknown>;
  const repo = data['repo'] ?? data['repository'];
  return typeof repo === 'string' ? repo : undefined;
}

async function route(
  ops: OperationContext,
  tokens: ApiTokens,
  policies: Pick<PolicyCache, 'of'>,
  polls: PollLimit,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const path = url.pathname.slice(API_PREFIX.length).replace(/\/$/, '');
  const method = req.method ?? 'GET';
  if (path === 'openapi.json' && method === 'GET') return sendJson(res, 200, openApiDocument());
  const identity = authenticate(tokens, req);
  const body = method === 'POST' ? ((await readJson(req)) as Record<string, unknown>) : {};
  if (path === 'events' && method === 'POST') {
    const caller = await callerIn(policies, identity, req, eventRepo(body) ?? ops.defaultRepo);
    const outcome = await handleCloudEvent(ops, body, caller);
    return sendJson(res, outcome.duplicate ? 200 : 202, toWire(outcome));
  }
  const readCaller = await callerIn(policies, identity, req, url.searchParams.get('repo') ?? ops.defaultRepo);
  if (await extraRoute(ops, readCaller, { method, path, query: url.searchParams, headers: req.headers }, res)) return;
  const found = OPERATION_ROUTES.map((r) => ({ r, m: r.pattern.exec(path) })).find((x) => x.m);
  if (!found) throw new HttpError(404, { error: 'NotFound', message: `no route ${path}` });
  if (found.r.method !== method)
    throw new HttpError(
      405,
      { error: 'MethodNotAllowed', message: `${path} takes ${found.r.method}` },
      { allow: found.r.method },
    );
  const params = (found.m?.slice(1) ?? []).map(decodeSegment);
  const args = { params, query: url.searchParams, body, defaultRepo: ops.defaultRepo };
  const run = found.r.failed && reportsFailure(body) ? found.r.failed : found.r;
  const input = run.input(args);
  const { repo, where } = await actedOn(ops, input);
  const caller = { ...(await callerIn(policies, identity, req, repo)), ...(where ? { where } : {}) };
  if (run.operation === 'dashboard') polls.admit(`${caller.identity}\0${String(repo)}`);
  const result = await runOperation(ops, run.operation, input, caller);
  sendJson(res, found.r.created ? 201 : 200, toWire(result));
}

/** The branch named in a failed request's path, for the 423 body; '' when it cannot be decoded. */
function branchForError(segment: string | undefined): string {
  try {
    return segment ? decodeURIComponent(segment) : '';
  } catch {
    return '';
  }
}

/**
 * The HTTP API of the indexing-service interface (SPEC §4): bearer tokens (hashed at rest) → identity and
 * roles (judged by the policy of the repository acted on, from the app's one `policies` cache), 401 without a valid token, 403 for a role that lacks the operation's permission, 423 with seed 000's
 * body for a write refused during a freeze. Every route calls the same handler the other transports use.
 */
export function createApiHandler(
  ops: OperationContext,
  tokens: ApiTokens,
  policies: Pick<PolicyCache, 'of'>,
): ApiHandler {
  const polls = new PollLimit();
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://aegis.invalid');
    if (!url.pathname.startsWith(API_PREFIX)) return false;
    try {
      await route(ops, tokens, policies, polls, req, res, url);
    } catch (error) {
      const branch =
        /\/(?:status|force-unlock|set-state|indexing)\/(.+?)(?:\/(?:start|complete|fail|heartbeat))?$/.exec(
          url.pathname,
        )?.[1];
      const http = toHttpError(error, branchForError(branch));
      if (http.status === 423) ops.bot.metrics.lockConflicts.inc();
      let body = http.body;
      if (http.status === 500) {
        // The answer names no internals; the log line with the same id has them.
        const id = correlationId();
        ops.log?.warn({ err: error, path: url.pathname, correlationId: id }, 'API request failed');
        body = { ...http.body, correlation_id: id };
      }
      if (!res.headersSent) sendJson(res, http.status, body, http.headers);
    }
    return true;
  };
}
