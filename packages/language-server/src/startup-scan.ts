/**
 * The start-up scan as the session tracks it: whether it still runs, which files were reloaded or removed
 * meanwhile (the scan's older read of those is dropped), and a promise settled when every file it read is
 * in the model.
 */
export class StartupScan {
  #running = false;
  readonly #changed = new Set<string>();
  readonly ended: Promise<void>;
  #end: () => void = () => undefined;

  constructor() {
    this.ended = new Promise((resolve) => (this.#end = resolve));
  }

  get running(): boolean {
    return this.#running;
  }

  begin(): void {
    this.#running = true;
  }

  /** A file was reloaded or removed: while the scan runs, its read of that file is older. */
  changed(file: string): void {
    if (this.#running) this.#changed.add(file);
  }

  /** Whether the scan's read of a file is still its newest text. */
  isNewest(file: string): boolean {
    return !this.#changed.has(file);
  }

  finish(): void {
    this.#running = false;
    this.#changed.clear();
    this.#end();
  }
}

/** What ending the scan does, each step one task on the session's queue. */
export interface MergeSteps {
  /** Runs a task after every event queued before it (the session's `Serial`). */
  run(task: () => void): Promise<void>;
  /** The scan is over: every file it read is in the model. */
  finish(): void;
  /** Every file to check across files and publish, open files first. */
  paths(): string[];
  recheck(files: string[]): void;
}

/** Files checked in one task once the scan's results are in (~10-25 ms of work at 10,000 schemas on an idle core). */
const RECHECK_SLICE = 250;

/**
 * The scan's files joined the model batch by batch as they came (see `ScanOptions.onBatch`); now every file
 * is checked across files and published, in slices, each its own task with a turn of the event loop between,
 * so no request waits for the whole registry.
 */
export async function recheckScanned(steps: MergeSteps): Promise<void> {
  await steps.run(() => steps.finish());
  const paths = steps.paths();
  for (let i = 0; i < paths.length; i += RECHECK_SLICE) {
    const slice = paths.slice(i, i + RECHECK_SLICE);
    await steps.run(() => steps.recheck(slice));
    await nextTurn();
  }
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
