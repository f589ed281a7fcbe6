import { buildRegistry, crossFileDiagnostics, isRegistryFile, sortDiagnostics } from '@aegis/core';
import type { Diagnostic, LoadedFile, Registry, Schema } from '@aegis/core';
import { cycleMembers } from './cycle-members.js';
import { loadEntry } from './load-entry.js';
import { registryFor } from './registry-for.js';

function addTo(index: Map<string, Set<string>>, key: string, file: string): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(file);
}

function removeFrom(index: Map<string, Set<string>>, key: string, file: string): void {
  const set = index.get(key);
  set?.delete(file);
  if (set?.size === 0) index.delete(key);
}

/**
 * The language server's model of the registry: a compact entry (core's `LoadedFile`) for every schema file
 * in the folder, open or not, and the cross-file diagnostics of each. No YAML documents are kept here: an
 * edit reloads that one file and re-checks only the files it can affect (see `update`). Pure: callers read
 * the disk and the editor and hand the text in.
 */
export class Workspace {
  readonly #files = new Map<string, LoadedFile>();
  readonly #cross = new Map<string, Diagnostic[]>();
  /** Schema name → files whose references name it (resolved or not). */
  readonly #referrers = new Map<string, Set<string>>();
  /** Schema name → files declaring it (more than one is a duplicate). */
  readonly #declarers = new Map<string, Set<string>>();
  /** Files whose last cross-file result had a cycle or an unknown schema: a change may clear or reword them. */
  readonly #cycleFiles = new Set<string>();
  readonly #unknownFiles = new Set<string>();
  /** The last compact schema each file had, kept while the file does not parse (someone is typing). */
  readonly #lastGood = new Map<string, Schema>();
  #registry: Registry = { files: new Map(), schemas: new Map() };

  /** @param schemaFolder the folder (relative to the root, '/'-separated) holding the schema files. */
  constructor(readonly schemaFolder = '.kiro/schemas') {
    this.schemaFolder = schemaFolder.replace(/\/+$/, '');
  }

  /** Whether a path is a registry file of this workspace (a YAML file inside the schema folder). */
  includes(file: string): boolean {
    return (this.schemaFolder === '' || file.startsWith(`${this.schemaFolder}/`)) && isRegistryFile(file);
  }

  /** The whole registry as core models it (kept up to date edit by edit). */
  get registry(): Registry {
    return this.#registry;
  }

  /** Every registry path currently known. */
  get paths(): string[] {
    return [...this.#files.keys()];
  }

  /** Core's entry for a file: its compact schema and its own diagnostics. */
  file(file: string): LoadedFile | undefined {
    return this.#files.get(file);
  }

  /** The compact schema of a file, if it currently parses as one. */
  schemaOf(file: string): Schema | undefined {
    return this.#files.get(file)?.schema;
  }

  /** The file's schema, or while it does not parse the last one it had: completion keeps working mid-edit. */
  lastGoodSchemaOf(file: string): Schema | undefined {
    return this.#files.get(file)?.schema ?? this.#lastGood.get(file);
  }

  /** The schema currently holding `name` (the first declarer when duplicated). */
  schemaNamed(name: string): Schema | undefined {
    return this.#registry.schemas.get(name);
  }

  /** Files whose references name `schema`. */
  referrersOf(schema: string): string[] {
    return [...(this.#referrers.get(schema) ?? [])];
  }

  /** Everything shown for one file: its own diagnostics and the cross-file ones, by position. */
  diagnostics(file: string): Diagnostic[] {
    const local = this.#files.get(file)?.diagnostics ?? [];
    const cross = this.#cross.get(file) ?? [];
    return cross.length === 0 ? local : sortDiagnostics([...local, ...cross]);
  }

  /** Loads many files (the start-up scan) and checks them all at once. Returns every path loaded. */
  loadAll(entries: Iterable<[string, string | Uint8Array]>): string[] {
    return this.addAll([...entries].map(([file, content]) => loadEntry(file, content)));
  }

  /** Adds files loaded elsewhere (the scan's worker threads) and checks the whole registry once. */
  addAll(entries: LoadedFile[]): string[] {
    for (const loaded of entries) this.#put(loaded.file, loaded);
    this.#registry = buildRegistry(this.#files.values());
    this.#recheck(this.#files.keys(), this.#registry);
    return entries.map((e) => e.file);
  }

  /**
   * Adds loaded files without checking across files (the start-up scan adds 10,000 in slices, answering
   * requests in between, then calls `recheck` slice by slice).
   */
  addLoaded(entries: LoadedFile[]): void {
    for (const loaded of entries) this.#put(loaded.file, loaded);
  }

  /** Checks `files` across files again, on the part of the registry they depend on. */
  recheck(files: Iterable<string>): void {
    this.#recheck(files);
  }

  /**
   * Replaces one file's content (an editor change or a change on disk) and re-checks the files it can
   * affect: itself, files referencing its old or new name, other declarers of those names (duplicates),
   * members of cycles before and after, and, when a name appears or disappears, files with unknown schemas
   * (their did-you-mean may change). Returns those files: their diagnostics may have changed.
   */
  update(file: string, content: string | Uint8Array): string[] {
    return this.#change(file, loadEntry(file, content));
  }

  /** Drops a deleted file; returns the files whose diagnostics may have changed (the file itself included). */
  remove(file: string): string[] {
    if (!this.#files.has(file)) return [];
    return this.#change(file, undefined);
  }

  #change(file: string, next: LoadedFile | undefined): string[] {
    const before = this.#files.get(file)?.schema;
    const oldName = before?.name.value;
    const affected = new Set<string>([file, ...this.#cycleFiles]);
    if (oldName !== undefined) this.#addNeighbours(affected, oldName);
    this.#drop(file);
    if (next) this.#put(file, next);
    const newName = next?.schema?.name.value;
    if (newName !== undefined) {
      this.#addNeighbours(affected, newName);
      for (const member of cycleMembers(this.#registry, newName, (n) => this.referrersOf(n))) affected.add(member);
    }
    if (oldName !== newName) for (const f of this.#unknownFiles) affected.add(f);
    if (!next) {
      this.#lastGood.delete(file);
      this.#cross.delete(file);
      this.#cycleFiles.delete(file);
      this.#unknownFiles.delete(file);
      affected.delete(file);
      this.#recheck(affected);
      return [file, ...affected];
    }
    this.#recheck(affected);
    return [...affected];
  }

  #addNeighbours(into: Set<string>, name: string): void {
    for (const f of this.#referrers.get(name) ?? []) into.add(f);
    for (const f of this.#declarers.get(name) ?? []) into.add(f);
  }

  // The registry is kept up to date entry by entry (buildRegistry over 10,000 files costs ~7 ms an edit):
  // files by path, and for each touched name the declarer that buildRegistry picks among its declarers.
  #put(file: string, loaded: LoadedFile): void {
    this.#drop(file);
    this.#files.set(file, loaded);
    this.#registry.files.set(file, loaded);
    const schema = loaded.schema;
    if (!schema) return;
    this.#lastGood.set(file, schema);
    addTo(this.#declarers, schema.name.value, file);
    for (const ref of schema.references) addTo(this.#referrers, ref.schema.value, file);
    this.#pickWinner(schema.name.value);
  }

  #drop(file: string): void {
    const schema = this.#files.get(file)?.schema;
    this.#files.delete(file);
    this.#registry.files.delete(file);
    if (!schema) return;
    removeFrom(this.#declarers, schema.name.value, file);
    for (const ref of schema.references) removeFrom(this.#referrers, ref.schema.value, file);
    this.#pickWinner(schema.name.value);
  }

  /** Core's buildRegistry decides which declarer holds a name; asked about just that name's declarers. */
  #pickWinner(name: string): void {
    const declarers: LoadedFile[] = [];
    for (const file of this.#declarers.get(name) ?? []) {
      const loaded = this.#files.get(file);
      if (loaded) declarers.push(loaded);
    }
    // One declarer (the usual case, 10,000 times during a scan) holds its name: no registry to build.
    const schema = declarers.length <= 1 ? declarers[0]?.schema : buildRegistry(declarers).schemas.get(name);
    if (schema) this.#registry.schemas.set(name, schema);
    else this.#registry.schemas.delete(name);
  }

  /** Files declaring `name`. */
  declarersOf(name: string): Iterable<string> {
    return this.#declarers.get(name) ?? [];
  }

  /** Cross-file checks for `files`, on the part of the registry they depend on (see `registryFor`). */
  #recheck(files: Iterable<string>, registry?: Registry): void {
    const list = [...files].filter((f) => this.#files.has(f));
    const results = crossFileDiagnostics(registry ?? registryFor(this, list), list);
    for (const file of list) {
      const found = results.get(file) ?? [];
      this.#cross.set(file, found);
      const has = (code: string): boolean => found.some((d) => d.code === code);
      if (has('cycle')) this.#cycleFiles.add(file);
      else this.#cycleFiles.delete(file);
      if (has('unknown-schema')) this.#unknownFiles.add(file);
      else this.#unknownFiles.delete(file);
    }
  }
}
