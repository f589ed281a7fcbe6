/** A parse at least this long makes the next edits of that file wait for a pause in typing. */
const SLOW_PARSE_MS = 50;
/** The longest such wait. */
const MAX_WAIT_MS = 250;

interface Waiting {
  timer: NodeJS.Timeout;
  resolvers: (() => void)[];
}

/**
 * Coalesces the edits of each document, so a burst of keystrokes in a large file costs one parse rather than
 * one each, and nothing waits behind a pile of them. Only the newest text of a document is kept; while one
 * is queued, later edits just replace it. A document whose last parse was slow (≥ 50 ms) waits for a pause
 * in its edits (as long as that parse, at most 250 ms) before it is queued at all, so the edits that arrive
 * meanwhile are skipped too and requests keep being answered from the previous text.
 */
export class EditQueue {
  readonly #newest = new Map<string, string>();
  readonly #queued = new Set<string>();
  readonly #waiting = new Map<string, Waiting>();
  readonly #cost = new Map<string, number>();

  /**
   * @param enqueue runs a task in the session's order of events and requests
   * @param apply applies a document's text (inside `enqueue`)
   */
  constructor(
    readonly enqueue: (task: () => Promise<void>) => Promise<void>,
    readonly apply: (uri: string, text: string) => Promise<void>,
  ) {}

  /** A new text of `uri`; resolves once it (or a newer one) is applied, or the document is dropped. */
  push(uri: string, text: string): Promise<void> {
    this.#newest.set(uri, text);
    if (this.#queued.has(uri)) return Promise.resolve();
    const cost = this.#cost.get(uri) ?? 0;
    if (cost < SLOW_PARSE_MS && !this.#waiting.has(uri)) return this.#queue(uri);
    return new Promise((resolve) => {
      const waiting = this.#waiting.get(uri);
      clearTimeout(waiting?.timer);
      const resolvers = [...(waiting?.resolvers ?? []), resolve];
      const timer = setTimeout(
        () => {
          this.#waiting.delete(uri);
          void this.#queue(uri).then(() => resolvers.forEach((r) => r()));
        },
        Math.min(cost, MAX_WAIT_MS),
      );
      this.#waiting.set(uri, { timer, resolvers });
    });
  }

  /** The document was closed: what was not applied yet is dropped. */
  drop(uri: string): void {
    const waiting = this.#waiting.get(uri);
    clearTimeout(waiting?.timer);
    waiting?.resolvers.forEach((r) => r());
    this.#waiting.delete(uri);
    this.#newest.delete(uri);
    this.#cost.delete(uri);
  }

  #queue(uri: string): Promise<void> {
    this.#queued.add(uri);
    return this.enqueue(async () => {
      this.#queued.delete(uri);
      const text = this.#newest.get(uri);
      this.#newest.delete(uri);
      if (text === undefined) return;
      const start = performance.now();
      await this.apply(uri, text);
      this.#cost.set(uri, performance.now() - start);
    });
  }
}
