/** How often a request that hit a rate limit is tried again, and the longest `retry-after` worth waiting for. */
export const RATE_LIMIT_RETRIES = 2;
export const MAX_RETRY_AFTER_S = 120;

interface ThrottledRequest {
  method: string;
  url: string;
  request: { retryCount: number };
}

/**
 * Stands in for Octokit's write limiter (a Bottleneck group): lets every write through at once. Octokit's own
 * spaces all writes of the process 1 s apart under one key, whatever the installation; with a write budget the
 * pacer in `githubFetch` paces each installation instead (and across replicas).
 */
const UNPACED_WRITES = { key: () => ({ schedule: () => Promise.resolve() }) };

/**
 * Octokit's throttle options for the app: both GitHub's primary limit (403/429, `x-ratelimit-remaining: 0`) and
 * its secondary limit (403 with `retry-after`) are waited out — the throttle waits the time GitHub names — and
 * retried at most `RATE_LIMIT_RETRIES` times, never for longer than `MAX_RETRY_AFTER_S`. (Probot's own default
 * only logs a secondary limit, so one such answer dropped a check run.) `enabled: false` also removes the 1 s
 * spacing of writes, for local fakes and benchmarks. `pacedElsewhere`: a write budget paces writes
 * (`githubFetch`), so Octokit's process-wide 1 s spacing is replaced by a pass-through.
 */
export function throttleOptions(
  log: { warn(obj: unknown, msg?: string): void } | undefined,
  enabled: boolean,
  pacedElsewhere = false,
): Record<string, unknown> {
  const retry =
    (kind: string) =>
    (retryAfter: number, options: ThrottledRequest): boolean => {
      const again = options.request.retryCount < RATE_LIMIT_RETRIES && retryAfter <= MAX_RETRY_AFTER_S;
      const at = `${options.method} ${options.url}`;
      log?.warn({ request: at, retryAfter, retryCount: options.request.retryCount, again }, `${kind} rate limit`);
      return again;
    };
  return {
    enabled,
    onRateLimit: retry('primary'),
    onSecondaryRateLimit: retry('secondary'),
    ...(pacedElsewhere ? { write: UNPACED_WRITES } : {}),
  };
}
