import type { IncomingMessage, ServerResponse } from 'node:http';

/** GitHub caps webhook payloads at 25 MB; nothing larger is a real delivery. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

/**
 * Refuses a webhook POST whose body would exceed `limit` before a byte of it is read: 413 for a declared
 * length over the cap, 411 without a declared length (GitHub always sends one; a chunked body could grow
 * without bound). Signatures can only be checked on a whole body, so the size is judged first. Returns true
 * when it answered; the connection is closed rather than drained.
 */
export function refuseOversizedWebhook(req: IncomingMessage, res: ServerResponse, limit = MAX_WEBHOOK_BYTES): boolean {
  if (req.method !== 'POST') return false;
  const declared = req.headers['content-length'];
  const status = declared === undefined ? 411 : !/^\d+$/.test(declared) || Number(declared) > limit ? 413 : 0;
  if (status === 0) return false;
  const message = status === 411 ? 'a webhook needs a Content-Length' : `a webhook body is at most ${limit} bytes`;
  res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' }).end(message);
  return true;
}
