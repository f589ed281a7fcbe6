import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { permissionMatches } from '@aegis/core';
import { InvalidRequestError } from '@aegis/freeze';
import type { Caller, OperationContext } from '../indexing/index.js';
import { API_ROLES, ForbiddenError } from '../indexing/run-operation.js';
import { decodeSegment, frozen, sendJson } from './http-io.js';
import { registryEndpoint } from './registry-endpoint.js';

interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

function demand(caller: Caller, permission: string): void {
  if (!caller.roles.some((r) => (API_ROLES[r] ?? []).some((p) => permissionMatches(p, permission)))) {
    throw new ForbiddenError(caller, permission);
  }
}

function repoOf(ops: OperationContext, query: URLSearchParams): string {
  const repo = query.get('repo') ?? ops.defaultRepo;
  if (!repo) throw new InvalidRequestError('repo (owner/name) is required');
  return repo;
}

/**
 * The read routes that are not indexing operations: who am I, the write check (200 or 423), the registry
 * with ETag/delta, and the audit query. Answers false when the path is none of them.
 */
export async function extraRoute(
  ops: OperationContext,
  caller: Caller,
  req: Request,
  res: ServerResponse,
): Promise<boolean> {
  if (req.method !== 'GET') return false;
  const check = /^branch-locks\/check\/(.+)$/.exec(req.path);
  if (req.path === 'whoami') {
    const can = (p: string): boolean =>
      caller.roles.some((r) => (API_ROLES[r] ?? []).some((x) => permissionMatches(x, p)));
    sendJson(res, 200, {
      identity: caller.identity,
      roles: caller.roles,
      forceUnlock: can('branch:force-unlock'),
      read: can('branch:read'),
    });
  } else if (check?.[1]) {
    demand(caller, 'branch:read');
    const branch = decodeSegment(check[1]);
    const resources = (req.query.get('resources') ?? '').split(',').filter(Boolean);
    const verdict = await ops.bot.freeze.checkWrite({ repo: repoOf(ops, req.query), branch }, resources);
    if (!verdict.allowed) throw frozen(branch, verdict.reason, verdict.retryAfterSeconds);
    sendJson(res, 200, { allowed: true, state: verdict.state });
  } else if (req.path === 'registry') {
    demand(caller, 'schema:read');
    const inm = req.headers['if-none-match'];
    const answer = await registryEndpoint(
      ops,
      repoOf(ops, req.query),
      req.query.get('ref') ?? undefined,
      req.query.get('since') ?? undefined,
      typeof inm === 'string' ? inm : undefined,
    );
    if (answer.status === 304) res.writeHead(304, { etag: answer.etag }).end();
    else sendJson(res, 200, answer.body, { etag: answer.etag, 'cache-control': 'no-cache' });
  } else if (req.path === 'audit') {
    demand(caller, 'audit:read');
    const q = req.query;
    const since = q.get('since');
    const page = await ops.bot.freeze.queryAudit({
      ...(q.get('repo') ? { repo: q.get('repo') as string } : {}),
      ...(q.get('branch') ? { branch: q.get('branch') as string } : {}),
      ...(q.get('issue') ? { issue: q.get('issue') as string } : {}),
      ...(q.get('action') ? { action: q.get('action') as string } : {}),
      ...(since ? { since: new Date(since) } : {}),
      ...(q.get('cursor') ? { cursor: q.get('cursor') as string } : {}),
      limit: Math.min(500, Number(q.get('limit') ?? 50) || 50),
    });
    sendJson(res, 200, page);
  } else {
    return false;
  }
  return true;
}
