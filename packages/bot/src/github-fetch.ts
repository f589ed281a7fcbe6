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

/**
 * The `fetch` given to Probot's Octokit. Probot 14 mints installation tokens through a request object that
 * ignores `baseUrl`, so on GitHub Enterprise (or a local fake) token requests would go to api.github.com:
 * this rewrites that origin to the configured API base. It also counts every request.
 */
export function githubFetch(baseUrl: string, counter?: RequestCounter): typeof fetch {
  const from = 'https://api.github.com';
  const to = baseUrl.replace(/\/$/, '');
  return async (input, init) => {
    const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = to !== from && raw.startsWith(from) ? to + raw.slice(from.length) : raw;
    counter?.count(init?.method ?? 'GET', url);
    return fetch(url, init);
  };
}
