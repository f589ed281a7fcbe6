import { buildRegistry, isRegistryFile, loadFile } from '@aegis/core';
import type { LoadedFile, Registry } from '@aegis/core';
import type { GitRefFileSource } from '@aegis/git';

/** Where parsed files outlive the process: entries by `blobId\0path`. */
export interface ParsedFileStore {
  /**
   * The newest `max` entries saved before (oldest first), the older ones deleted; none written by another parser
   * build.
   */
  load(max: number): Promise<[string, LoadedFile][]>;
  /** The entries of `keys` saved since (by this process or another sharing the store). */
  find(keys: readonly string[]): Promise<[string, LoadedFile][]>;
  /** Adds entries (one write per registry build). */
  save(entries: [string, LoadedFile][]): Promise<void>;
}

/** A registry file the cache did not hold: where it goes in the registry being built. */
interface Missing {
  path: string;
  key: string;
  index: number;
}

/** How long parsing runs before it lets other work on the event loop run. */
const YIELD_AFTER_MS = 10;

/**
 * Parsed files keyed by git blob id and path (the path matters: a schema's name must match its file name),
 * so an event parses only the blobs it has not seen before. Least-recently-used entries go beyond `max`.
 * With a `store`, parsed files outlive the process and are shared by the processes using it: the first event
 * after a restart parses nothing parsed before, and a file not held here is looked up in the store before it is
 * parsed (another replica may have parsed it).
 */
export class ParseCache {
  private readonly entries = new Map<string, LoadedFile>();
  private warmed: Promise<void> | undefined;
  /** Files parsed (cache misses) since creation: benchmarks and tests read it. */
  parsed = 0;

  constructor(
    private readonly max = 100_000,
    private readonly store?: ParsedFileStore,
  ) {}

  private readonly registries = new Map<string, Registry>();

  /**
   * The registry of a git source, parsing only unseen blobs. Whole registries are also kept for the last few
   * registry tree ids: the base branch of busy PRs is the same tree event after event.
   */
  async registryOf(source: GitRefFileSource): Promise<Registry> {
    const known = this.registries.get(source.treeId);
    if (known) return known;
    await this.warm();
    const registry = await this.build(source);
    this.registries.set(source.treeId, registry);
    if (this.registries.size > 8) this.registries.delete(this.registries.keys().next().value as string);
    return registry;
  }

  /**
   * Loads the store once (the first registry waits for it); a store that cannot be read is an empty cache, never
   * a failed check. The app calls it at start-up, so no event waits for it.
   */
  warm(): Promise<void> {
    this.warmed ??= (async () => {
      if (!this.store) return;
      const saved = await this.store.load(this.max).catch(() => []);
      for (const [key, file] of saved) this.entries.set(key, file);
    })();
    return this.warmed;
  }

  private async build(source: GitRefFileSource): Promise<Registry> {
    const files: LoadedFile[] = [];
    let missing: Missing[] = [];
    const entries = source.entries.filter((e) => isRegistryFile(e.path));
    entries.forEach((entry, index) => {
      const key = `${entry.blobId}\0${entry.path}`;
      const hit = this.entries.get(key);
      if (hit) {
        this.entries.delete(key);
        this.entries.set(key, hit);
        files[index] = hit;
      } else missing.push({ path: entry.path, key, index });
    });
    if (missing.length > 0 && this.store) missing = await this.fromStore(this.store, missing, files);
    const contents = await source.readMany(missing.map((m) => m.path));
    const added: [string, LoadedFile][] = [];
    let slice = performance.now();
    for (const [i, m] of missing.entries()) {
      // Parsing thousands of files is seconds of CPU: give the event loop (health checks, other webhooks,
      // the API) a turn every few milliseconds.
      if (performance.now() - slice > YIELD_AFTER_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        slice = performance.now();
      }
      const loaded = loadFile(m.path, contents[i] ?? new Uint8Array());
      this.parsed += 1;
      this.entries.set(m.key, loaded);
      added.push([m.key, loaded]);
      files[m.index] = loaded;
    }
    this.evict();
    await this.store?.save(added).catch(() => undefined);
    return buildRegistry(files);
  }

  /** Fills `files` with what the store holds of `missing` (another replica may have parsed it); what is left. */
  private async fromStore(store: ParsedFileStore, missing: Missing[], files: LoadedFile[]): Promise<Missing[]> {
    const found = new Map(await store.find(missing.map((m) => m.key)).catch(() => []));
    for (const m of missing) {
      const file = found.get(m.key);
      if (!file) continue;
      this.entries.set(m.key, file);
      files[m.index] = file;
    }
    return missing.filter((m) => !found.has(m.key));
  }

  private evict(): void {
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
