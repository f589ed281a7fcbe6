/** An answer the fake gives instead of the route's own (a rate limit, an outage). */
export interface InjectedAnswer {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

interface Fault {
  method: string | undefined;
  path: RegExp;
  left: number;
  answer: () => InjectedAnswer;
}

/** Which requests a fault applies to: a `METHOD` (any when omitted) and a path regex, `times` times (default 1). */
export interface FaultTarget {
  method?: string;
  path: RegExp;
  times?: number;
}

const DOCS = 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api';

/**
 * Hostile behaviours a test switches on: GitHub's primary and secondary rate limits, or any other answer, for
 * the next matching requests. Nothing is injected unless a test asks.
 */
export class FaultPlan {
  private readonly faults: Fault[] = [];

  /** The secondary rate limit: 403 with `retry-after` (seconds) and GitHub's message. */
  secondaryRateLimit(target: FaultTarget, retryAfterSeconds = 1): void {
    this.add(target, () => ({
      status: 403,
      headers: { 'retry-after': String(retryAfterSeconds), 'x-ratelimit-remaining': '4000' },
      body: {
        message:
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
        documentation_url: `${DOCS}#about-secondary-rate-limits`,
      },
    }));
  }

  /** The primary rate limit: 403 (or 429) with `x-ratelimit-remaining: 0` and the reset time. */
  primaryRateLimit(target: FaultTarget, resetInSeconds = 1, status: 403 | 429 = 403): void {
    this.add(target, () => ({
      status,
      headers: {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-used': '5000',
        'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + resetInSeconds),
        'x-ratelimit-resource': 'core',
      },
      body: { message: 'API rate limit exceeded for installation ID 77.', documentation_url: DOCS },
    }));
  }

  /** Any other answer (a 502 from a load balancer, a 404 GitHub gives for a moment). */
  fail(target: FaultTarget, answer: InjectedAnswer): void {
    this.add(target, () => structuredClone(answer));
  }

  /** The injected answer for this request, if a fault still applies to it. */
  take(method: string, pathname: string): InjectedAnswer | undefined {
    const fault = this.faults.find((f) => f.left > 0 && (!f.method || f.method === method) && f.path.test(pathname));
    if (!fault) return undefined;
    fault.left -= 1;
    return fault.answer();
  }

  /** Disarms every fault (a test that armed more than it used leaves none behind). */
  clear(): void {
    this.faults.length = 0;
  }

  /** Faults armed but not yet triggered (a test can assert its hostile path was really taken). */
  pending(): number {
    return this.faults.reduce((n, f) => n + f.left, 0);
  }

  private add(target: FaultTarget, answer: () => InjectedAnswer): void {
    this.faults.push({ method: target.method, path: target.path, left: target.times ?? 1, answer });
  }
}
