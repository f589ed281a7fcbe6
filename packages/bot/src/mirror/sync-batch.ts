/**
 * The installation token a fetch sends: the token itself, or how to get one. A function is called only when the
 * fetch runs, never when it is queued, so a job that waited behind others (a burst, one repository's serialised
 * fetches) never carries a token that expired in the queue.
 */
export type TokenSource = string | (() => Promise<string>);

/** What one sync needs present afterwards. */
export interface SyncOptions {
  cloneUrl?: string;
  /** Commits that must be present (a PR head, a push's before/after): full object ids. */
  want?: string[];
  /**
   * Branches the decision reads (a PR's base, the default branch for the policy). Omitted: every branch
   * (blob-less all the same).
   */
  branches?: string[];
}

/**
 * The syncs of one repository waiting for the same fetch: every commit any of them wants, every branch any of
 * them reads (every branch when one reads all), and how many asked. The newest token source is used: all come
 * from the same installation, and a function is only called when the fetch starts.
 */
export interface SyncBatch {
  token: TokenSource;
  want: string[];
  branches: string[] | undefined;
  cloneUrl: string | undefined;
  requests: number;
}

/** A batch of one sync. */
export function syncBatch(token: TokenSource, options: SyncOptions): SyncBatch {
  return {
    token,
    want: [...new Set(options.want ?? [])],
    branches: options.branches ? [...new Set(options.branches)] : undefined,
    cloneUrl: options.cloneUrl,
    requests: 1,
  };
}

/** `batch` with one more sync joined: what one fetch must bring for all of them. */
export function joinSyncBatch(batch: SyncBatch, token: TokenSource, options: SyncOptions): SyncBatch {
  return {
    token,
    want: [...new Set([...batch.want, ...(options.want ?? [])])],
    branches: batch.branches && options.branches ? [...new Set([...batch.branches, ...options.branches])] : undefined,
    cloneUrl: batch.cloneUrl ?? options.cloneUrl,
    requests: batch.requests + 1,
  };
}

/** The options one fetch of `batch` runs with. */
export function batchOptions(batch: SyncBatch): SyncOptions {
  return {
    want: batch.want,
    ...(batch.branches ? { branches: batch.branches } : {}),
    ...(batch.cloneUrl !== undefined ? { cloneUrl: batch.cloneUrl } : {}),
  };
}
