import { connect } from 'node:net';

/** A raw HTTP/1.1 answer: the status (0 when the line did not parse), the header block and the body. */
export interface RawAnswer {
  status: number;
  head: string;
  body: string;
}

function dechunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    const size = eol < 0 ? 0 : parseInt(rest.slice(0, eol), 16);
    if (!size) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 4 + size);
  }
}

/**
 * Sends one request exactly as given — any method, a request target fetch would normalise or refuse, any
 * headers and body bytes — on its own connection, and reads the answer until the server closes it.
 */
export function rawRequest(
  url: string,
  request: { method: string; target: string; headers?: [string, string][]; body?: Buffer },
  timeoutMs = 30_000,
): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  const body = request.body ?? Buffer.alloc(0);
  const headers = [
    `Host: ${hostname}`,
    'Connection: close',
    ...(body.length > 0 ? [`Content-Length: ${body.length}`] : []),
    ...(request.headers ?? []).map(([k, v]) => `${k}: ${v}`),
  ];
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        Buffer.concat([
          Buffer.from(`${request.method} ${request.target} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`, 'latin1'),
          body,
        ]),
      );
    });
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`no answer in ${timeoutMs} ms: ${request.method} ${request.target}`)),
    );
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const head = split < 0 ? text : text.slice(0, split);
      const rawBody = split < 0 ? '' : text.slice(split + 4);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, head, body: /transfer-encoding: chunked/i.test(head) ? dechunk(rawBody) : rawBody });
    });
  });
}
