/** At most `limit` content-creating requests in any `windowMs`, per installation. */
export interface WriteWindow {
  limit: number;
  windowMs: number;
}

/**
 * GitHub's published secondary limits on content creation (docs: "Rate limits for the REST API"): no more than
 * 80 content-generating requests a minute and 500 an hour, and — its best practice for POST, PATCH, PUT and
 * DELETE — at least one second between them.
 */
export const GITHUB_WRITE_BUDGET: readonly WriteWindow[] = [
  { limit: 1, windowMs: 1000 },
  { limit: 80, windowMs: 60_000 },
  { limit: 500, windowMs: 3_600_000 },
];

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/**
 * Reads a budget written `1/1s,80/60s,500/1h` (a limit, a slash, a window with unit ms, s, m or h); `off` is no
 * budget. Throws on anything else, naming the part it could not read.
 */
export function parseWriteBudget(text: string): WriteWindow[] {
  if (text.trim() === 'off') return [];
  return text.split(',').map((part) => {
    const m = /^\s*(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*(ms|s|min|m|h)\s*$/.exec(part);
    const limit = Number(m?.[1]);
    const windowMs = Number(m?.[2]) * (UNITS[m?.[3] ?? ''] ?? NaN);
    if (!m || limit < 1 || !(windowMs >= 1)) throw new RangeError(`not a write budget window: "${part.trim()}"`);
    return { limit, windowMs };
  });
}

/**
 * How long a write let through counts as in flight at most: until it is answered it counts as made now (it may
 * reach GitHub any moment), then from its answer. One never answered counts from this long after it left.
 */
export const IN_FLIGHT_MS = 60_000;

/**
 * How long to wait before one more write fits every window, given the times of an installation's recent
 * writes (any order; a write still in flight has a time in the future) and now: 0 when it fits at once. The
 * decision both ledgers make (the Redis one in Lua). A write in flight is waited for as if answered now.
 */
export function writeWait(times: readonly number[], windows: readonly WriteWindow[], now: number): number {
  let wait = 0;
  for (const { limit, windowMs } of windows) {
    const inside = times.filter((t) => t > now - windowMs).sort((a, b) => a - b);
    // The write whose leaving the window makes room: the (count - limit + 1)-th oldest inside it.
    const blocking = inside[inside.length - limit];
    if (blocking !== undefined) wait = Math.max(wait, Math.min(blocking, now) + windowMs - now + 1);
  }
  return wait;
}

/** The writes needed ÷ the allowed rate: the least time `writes` requests of one installation can take. */
export function budgetFloorMs(writes: number, windows: readonly WriteWindow[]): number {
  return Math.max(0, ...windows.map((w) => Math.floor((writes - 1) / w.limit) * w.windowMs));
}
