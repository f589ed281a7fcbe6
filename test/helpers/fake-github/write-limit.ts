import type { RouteAnswer } from './routes.js';

/** A secondary limit on content creation: at most `limit` writes in any `windowMs`, per installation. */
export interface FakeWriteWindow {
  limit: number;
  windowMs: number;
}

const WRITES = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/**
 * GitHub's secondary limit on content-creating requests (POST, PATCH, PUT, DELETE with an installation token),
 * counted per installation by arrival time. Off until a test sets `windows`; a write past a window is answered
 * 403 "You have exceeded a secondary rate limit" with a `retry-after`, as GitHub does, and not performed.
 */
export class FakeWriteLimit {
  windows: FakeWriteWindow[] = [];
  /** Arrival times of the writes let through, by installation. */
  readonly writes = new Map<string, number[]>();
  /** Writes refused for the limit. */
  refused = 0;

  /** The refusal for a write arriving now, or undefined (and the write counted). */
  take(method: string, installation: string, now = Date.now()): RouteAnswer | undefined {
    if (this.windows.length === 0 || !WRITES.has(method)) return undefined;
    const times = this.writes.get(installation) ?? [];
    const over = this.windows.find((w) => times.filter((t) => t > now - w.windowMs).length >= w.limit);
    if (over) {
      this.refused += 1;
      return {
        status: 403,
        headers: { 'retry-after': String(Math.ceil(over.windowMs / 1000)) },
        body: {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
          documentation_url:
            'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        },
      };
    }
    times.push(now);
    this.writes.set(installation, times);
    return undefined;
  }

  /** The most writes of one installation that arrived within any `windowMs` (what a window saw at its fullest). */
  busiest(installation: string, windowMs: number): number {
    const times = [...(this.writes.get(installation) ?? [])].sort((a, b) => a - b);
    let most = 0;
    for (let i = 0, j = 0; j < times.length; j++) {
      while ((times[j] ?? 0) - (times[i] ?? 0) >= windowMs) i++;
      most = Math.max(most, j - i + 1);
    }
    return most;
  }
}
