import { randomBytes } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** Where the original error text goes: the app's logger. */
export interface ErrorLog {
  error(obj: unknown, msg?: string): void;
}

/** A short random id that an answer and the log line holding the details share. */
export function correlationId(): string {
  return randomBytes(8).toString('hex');
}

/**
 * The webhook middleware's own refusals, which say nothing of the app's insides: kept (with our wording).
 * Anything else it would answer — a handler's exception text, a store's socket error, GitHub's URL in an
 * Octokit error — is replaced.
 */
const PUBLIC_REFUSALS: [RegExp, string][] = [
  [/signature does not match/, 'signature does not match event payload and secret'],
  [/Invalid JSON/, 'the body is not JSON'],
  [/^Required headers missing: [\w, -]+$/, ''],
  [/^Unsupported "Content-Type" header value/, ''],
  [/^Unknown route: /, 'unknown route'],
  [/^Request URL could not be parsed/, 'the request URL could not be parsed'],
];

/** The middleware's `{"error": "…"}` text, or undefined for any other body (the server's own plain 404). */
function errorText(body: string): string | undefined {
  try {
    const error = (JSON.parse(body) as { error?: unknown } | null)?.error;
    return typeof error === 'string' ? error : undefined;
  } catch {
    return undefined;
  }
}

/** What a 4xx may say: its own words for a known refusal, the body unchanged when it is not the middleware's. */
function publicRefusal(body: string): { error: string } | string | undefined {
  const error = errorText(body);
  if (error === undefined) return body;
  const found = PUBLIC_REFUSALS.find(([re]) => re.test(error));
  return found ? { error: found[1] || error } : undefined;
}

/**
 * Keeps internal error text out of what a webhook delivery is answered — the body GitHub shows in its
 * delivery log. A failed delivery is answered `500 {"error": "the delivery could not be handled",
 * "correlation_id": …}`, and the same id is logged with the text the answer would have carried. Wraps `res`
 * for the webhook middleware (which always answers with `writeHead(…).end(body)`).
 */
export function quietDeliveryErrors(req: IncomingMessage, res: ServerResponse, log: ErrorLog): ServerResponse {
  const writeHead = res.writeHead.bind(res) as (status: number, headers?: OutgoingHttpHeaders) => ServerResponse;
  const end = res.end.bind(res) as (body?: string | Buffer) => ServerResponse;
  let status: number | undefined;
  let headers: OutgoingHttpHeaders = {};
  res.writeHead = ((code: number, more?: OutgoingHttpHeaders | string) => {
    status = code;
    if (more && typeof more === 'object') headers = more;
    return res;
  }) as ServerResponse['writeHead'];
  res.end = ((body?: unknown) => {
    const code = status ?? res.statusCode;
    const text = typeof body === 'string' || Buffer.isBuffer(body) ? body.toString() : '';
    const refusal = code < 400 ? text : code < 500 ? publicRefusal(text) : undefined;
    if (typeof refusal === 'string') {
      if (status !== undefined) writeHead(code, headers);
      return end(refusal);
    }
    if (refusal !== undefined) return answer(writeHead, end, code, refusal);
    const id = correlationId();
    log.error(
      {
        correlationId: id,
        delivery: req.headers['x-github-delivery'],
        event: req.headers['x-github-event'],
        status: code,
        answer: text,
      },
      'webhook delivery failed; answered without its details',
    );
    return answer(writeHead, end, 500, { error: 'the delivery could not be handled', correlation_id: id });
  }) as ServerResponse['end'];
  return res;
}

function answer(
  writeHead: (status: number, headers?: OutgoingHttpHeaders) => ServerResponse,
  end: (body?: string) => ServerResponse,
  status: number,
  body: Record<string, string>,
): ServerResponse {
  writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  return end(JSON.stringify(body));
}
