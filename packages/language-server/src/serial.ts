/**
 * Runs tasks one after another in arrival order, so every request sees the effect of every notification
 * sent before it (the start-up scan included). A failing task does not stop the ones after it.
 */
export class Serial {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
