import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { InvalidRequestError, issueKey } from '@aegis/freeze';
import type { Caller, OperationContext } from '../indexing/index.js';
import { authorize, rolesOfPrincipal } from '../rbac/authorize.js';
import type { Action } from '../rbac/authorize.js';
import { refuseUnlessAllowed } from '../rbac/audit-denial.js';
import { decodeSegment, frozen, sendJson } from './http-io.js';
import { registryEndpoint } from './registry-endpoint.js';
import { toWire } from './wire-format.js';

interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

async function demand(ops: OperationContext, caller: Caller, action: Action, branch = '-'): Promise<void> {
  const scene = {
    repo: ops.defaultRepo ?? '-',
    branch,
    delivery: caller.delivery,
    transport: caller.transport,
    ipAddress: caller.ipAddress,
    userAgent: caller.userAgent,
  };
  await refuseUnlessAllowed(ops.bot.freeze, caller.principal, authorize(caller.principal, action), scene);
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
    sendJson(res, 200, {
      identity: caller.identity,
      roles: rolesOfPrincipal(caller.principal),
      force_unlock: authorize(caller.principal, 'branch.force-unlock').allowed,
      read: authorize(caller.principal, 'branch.status').allowed,
    });
  } else if (check?.[1]) {
    const branch = decodeSegment(check[1]);
    await demand(ops, caller, 'api:branch-check', branch);
    const resources = (req.query.get('resources') ?? '').split(',').filter(Boolean);
    const verdict = await ops.bot.freeze.checkWrite({ repo: repoOf(ops, req.query), branch }, resources);
    if (!verdict.allowed) throw frozen(branch, verdict.reason, verdict.retryAfterSeconds);
    sendJson(res, 200, { allowed: true, state: verdict.state });
  } else if (req.path === 'registry' || req.path === 'schemas') {
    // `schemas?since_hash=` is seed 004's name for the same delta read.
    await demand(ops, caller, 'api:registry');
    const inm = req.headers['if-none-match'];
    const answer = await registryEndpoint(
      ops,
      repoOf(ops, req.query),
      req.query.get('ref') ?? undefined,
      req.query.get('since') ?? req.query.get('since_hash') ?? undefined,
      typeof inm === 'string' ? inm : undefined,
    );
    if (answer.status === 304) res.writeHead(304, { etag: answer.etag }).end();
    else sendJson(res, 200, toWire(answer.body), { etag: answer.etag, 'cache-control': 'no-cache' });
  } else if (req.path === 'audit') {
    await demand(ops, caller, 'api:audit');
    const q = req.query;
    const since = q.get('since');
    const page = await ops.bot.freeze.queryAudit({
      ...(q.get('repo') ? { repo: q.get('repo') as string } : {}),
      ...(q.get('branch') ? { branch: q.get('branch') as string } : {}),
      ...(q.get('issue') ? { issue: issueKey(q.get('issue') as string) } : {}),
      ...(q.get('action') ? { action: q.get('action') as string } : {}),
      ...(since ? { since: new Date(since) } : {}),
      ...(q.get('cursor') ? { cursor: q.get('cursor') as string } : {}),
      limit: Math.min(500, Number(q.get('limit') ?? 50) || 50),
    });
    sendJson(res, 200, toWire(page));
  } else {
    return false;
  }
  return true;
}
