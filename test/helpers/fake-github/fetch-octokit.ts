import type { OctokitLike } from '@aegis/bot';

/**
 * An `OctokitLike` over plain fetch for GET routes (path parameters filled in, the rest as the query), sending
 * `token` — enough to run `octokitGitHub`'s reads against the fake without Probot.
 */
export function fetchOctokitAs(baseUrl: string, token: string): OctokitLike {
  return {
    auth: () => Promise.resolve({ token }),
    request: async (route, params = {}) => {
      const [method = 'GET', template = ''] = route.split(' ');
      const query = new URLSearchParams();
      const used = new Set<string>();
      const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => {
        used.add(name);
        return encodeURIComponent(String(params[name]));
      });
      for (const [k, v] of Object.entries(params)) if (!used.has(k)) query.set(k, String(v));
      const res = await fetch(`${baseUrl}${path}?${query}`, { method, headers: { authorization: `token ${token}` } });
      const data: unknown = await res.json();
      if (res.status >= 400) throw Object.assign(new Error(`HTTP ${res.status}`), { status: res.status });
      return { data, status: res.status };
    },
  };
}
