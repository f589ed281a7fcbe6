import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  IllegalShadowStateError,
  IllegalTransitionError,
  InvalidRequestError,
  LockConflictError,
  NotLockHolderError,
  ShadowNotFoundError,
  StoreUnavailableError,
} from '@aegis/freeze';
import { ForbiddenError, HttpError } from '../errors.js';

/**
 * Decodes one percent-encoded path segment. A malformed escape (`%E0%A4%A`) is the sender's mistake: a 400,
 * never an exception escaping the router.
 */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, { error: 'BadRequest', message: 'the path has a malformed percent-escape' });
  }
}

/** Sends JSON. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

/** Reads a JSON body (at most 1 MiB); an empty body is `{}`. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1024 * 1024) throw new HttpError(413, { error: 'TooLarge', message: 'request body over 1 MiB' });
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, { error: 'BadRequest', message: 'the body is not JSON' });
  }
}

/** Seed 000's 423 answer for a write refused during a freeze. */
export function frozen(branch: string, reason: string, retryAfterSeconds: number): HttpError {
  const retry = Math.max(1, Math.ceil(retryAfterSeconds));
  return new HttpError(
    423,
    { error: 'SchemaFrozen', message: `Branch '${branch}' is currently locked`, reason, retry_after: retry },
    { 'retry-after': String(retry) },
  );
}

/** Maps the domain's typed errors to HTTP answers (everything else is a 500 without internals). */
export function toHttpError(error: unknown, branch = ''): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof LockConflictError)
    return frozen(branch || (error.conflicts[0]?.branch ?? ''), error.message, error.retryAfterSeconds);
  if (error instanceof ForbiddenError) return new HttpError(403, { error: 'Forbidden', message: error.message });
  if (error instanceof InvalidRequestError) return new HttpError(400, { error: 'BadRequest', message: error.message });
  if (error instanceof ShadowNotFoundError) return new HttpError(404, { error: 'NotFound', message: error.message });
  if (
    error instanceof IllegalTransitionError ||
    error instanceof IllegalShadowStateError ||
    error instanceof NotLockHolderError
  ) {
    return new HttpError(409, { error: 'Conflict', message: error.message });
  }
  if (error instanceof StoreUnavailableError)
    return new HttpError(
      503,
      {
        error: 'StoreUnavailable',
        message:
          'the lock store is unreachable, so the request may not have completed; read the branch status before retrying',
      },
      { 'retry-after': '5' },
    );
  return new HttpError(500, { error: 'Internal', message: 'internal error' });
}
