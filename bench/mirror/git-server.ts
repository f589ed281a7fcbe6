/** Serves repositories over git's smart HTTP (the tests' `git http-backend`) and counts the bytes sent. */
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveGitHttp } from '../../test/helpers/fake-github/git-http-backend.js';

export class CountingGitServer {
  /** Bytes of responses sent (packs, ref advertisements) since the last `reset`. */
  bytes = 0;
  private readonly repos = new Map<string, string>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<CountingGitServer> {
    const holder: { self?: CountingGitServer } = {};
    const server = createServer((req, res) => {
      const self = holder.self!;
      const url = new URL(req.url ?? '/', 'http://x');
      const m = /^\/([^/]+\/[^/]+?)\.git(\/.*)$/.exec(url.pathname);
      const gitDir = m ? self.repos.get(m[1]!) : undefined;
      if (!m || !gitDir) {
        res.writeHead(404).end();
        return;
      }
      self.count(res);
      serveGitHttp(req, res, gitDir, m[2]!, url.search.slice(1));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.self = new CountingGitServer(server);
    return holder.self;
  }

  /** `{owner}/{repo}` URL template for the mirror. */
  get urlTemplate(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/{owner}/{repo}.git`;
  }

  add(fullName: string, workTree: string): void {
    this.repos.set(fullName, `${workTree}/.git`);
  }

  private count(res: ServerResponse): void {
    const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (Buffer.isBuffer(chunk) || typeof chunk === 'string') this.bytes += Buffer.byteLength(chunk);
      return write(chunk, ...rest);
    }) as typeof res.write;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
