import type { WritePacer } from './write-budget/write-pacer.js';

/** Counts GitHub REST requests by `METHOD /path` (benchmarks and `/metrics` read it). */
export class RequestCounter {
  total = 0;
  readonly byRoute = new Map<string, number>();
  constructor(private readonly onRequest?: (method: string, route: string) => void) {}
  count(method: string, url: string): void {
    this.total += 1;
    const route = new URL(url).pathname.replace(/\/api\/v3(?=\/)/, '').replace(/\/\d+(?=\/|$)/g, '/:n');
    const key = `${method} ${route}`;
    this.byRoute.set(key, (this.byRoute.get(key) ?? 0) + 1);
    this.onRequest?.(method, route);
  }
}

const TOKEN_ROUTE = /\/app\/installations\/(\d+)\/access_tokens$/;
const WRITES = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/**
 * Which installation each token belongs to, learnt from the answers that minted them, so writes are paced per
 * installation. A token minted elsewhere is its own key.
 */
class TokenInstallations {
  private readonly byToken = new Map<string, string>();
  /** Every installation a token was minted for (kept when its tokens are dropped: it still exists). */
  private readonly installations = new Set<string>();

  async learn(url: string, response: Response): Promise<void> {
    const id = TOKEN_ROUTE.exec(new URL(url).pathname)?.[1];
    if (!id || !response.ok) return;
    const body = (await response.clone().json()) as { token?: unknown };
    if (typeof body.token !== 'string') return;
    // Tokens live an hour; the map keeps the newest few thousand.
    if (this.byToken.size > 5000) this.byToken.delete(this.byToken.keys().next().value ?? '');
    this.byToken.set(body.token, id);
    this.installations.add(id);
  }

  /**
   * The installation a token writes for. A token this process did not see minted (another Octokit's, a cache's)
   * counts against the one installation learnt when there is only one — the usual single-organisation app —
   * so it cannot bypass that installation's budget; otherwise it is its own key.
   */
  of(authorization: string | null): string {
    const token = (authorization ?? '').replace(/^(token|bearer)\s+/i, '');
    const known = this.byToken.get(token);
    if (known) return known;
    const [only] = this.installations;
    return this.installations.size === 1 && only ? only : `token:${token.slice(-8)}`;
  }
}

/** Whether a request creates content in GitHub's sense (a write with an installation token, not minting one). */
function isContentWrite(method: string, url: string): boolean {
  return WRITES.has(method) && !TOKEN_ROUTE.test(new URL(url).pathname);
}

/**
 * The `fetch` given to Probot's Octokit. Probot 14 mints installation tokens through a request object that
 * ignores `baseUrl`, so on GitHub Enterprise (or a local fake) token requests would go to api.github.com:
 * this rewrites that origin to the configured API base. It counts every request, and with a `pacer` holds
 * each content-creating request until its installation's write budget has room, and tells the pacer when it
 * was answered.
 */
export function githubFetch(baseUrl: string, counter?: RequestCounter, pacer?: WritePacer): typeof fetch {
  const from = 'https://api.github.com';
  const to = baseUrl.replace(/\/$/, '');
  const installations = new TokenInstallations();
  return async (input, init) => {
    const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = to !== from && raw.startsWith(from) ? to + raw.slice(from.length) : raw;
    const method = (init?.method ?? 'GET').toUpperCase();
    const paced = pacer && isContentWrite(method, url);
    const settle = paced
      ? await pacer.acquire(installations.of(new Headers(init?.headers).get('authorization')))
      : undefined;
    counter?.count(method, url);
    try {
      const response = await fetch(url, init);
      if (pacer && method === 'POST') await installations.learn(url, response);
      return response;
    } finally {
      // Counted from the answer on; a ledger that cannot be told lets the write count as in flight a while.
      await settle?.().catch(() => undefined);
    }
  };
}
