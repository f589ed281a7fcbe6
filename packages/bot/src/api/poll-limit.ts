import { HttpError } from '../errors.js';

/** How often one token may read one repository's dashboard data: the page polls every 2 s at most. */
export const DASHBOARD_MIN_INTERVAL_MS = 500;

/**
 * A minimum interval between reads per key (token identity and repository): a page opened with
 * `?refresh=1`, or a script, cannot make the app read every branch, lock, shadow build and audit page hundreds
 * of times a second. A read inside the interval is a 429 with `retry-after`.
 */
export class PollLimit {
  private readonly last = new Map<string, number>();

  constructor(private readonly minIntervalMs = DASHBOARD_MIN_INTERVAL_MS) {}

  admit(key: string, now = Date.now()): void {
    const previous = this.last.get(key);
    if (previous !== undefined && now - previous < this.minIntervalMs) {
      throw new HttpError(
        429,
        { error: 'TooManyRequests', message: `at most one dashboard read every ${this.minIntervalMs} ms per token` },
        { 'retry-after': '1' },
      );
    }
    // Keys are token identities × repositories: few; forget the oldest if something makes many.
    if (this.last.size >= 10_000) this.last.delete(this.last.keys().next().value ?? '');
    this.last.delete(key);
    this.last.set(key, now);
  }
}
