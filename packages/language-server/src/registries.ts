import { existsSync } from 'node:fs';
import path from 'node:path';
import { LanguageSession } from './language-session.js';
import type { FileEvent, SessionOptions } from './language-session.js';
import type { ScanProgress } from './scan-registry.js';

/** What every registry's session shares; each gets its own root. */
export type SharedOptions = Omit<SessionOptions, 'rootDir' | 'progress'>;

/**
 * The registries of a (multi-root) workspace: one `LanguageSession` for every workspace folder holding the
 * schema folder (or, when none does, for the first folder, so a registry created there later is seen).
 * Folders added and removed at run time are followed; a removed registry's diagnostics are cleared.
 */
export class Registries {
  readonly #sessions = new Map<string, LanguageSession>();
  readonly #folders: string[] = [];

  /** @param progressFor a reporter of one registry's start-up scan, if the client shows progress. */
  constructor(
    readonly options: SharedOptions,
    readonly progressFor?: (root: string) => ScanProgress,
  ) {}

  /** Every registry's session, in folder order. */
  get all(): LanguageSession[] {
    return [...this.#sessions.values()];
  }

  /** The session whose root holds `uri` as a registry file (the innermost root when folders nest). */
  for(uri: string): LanguageSession | undefined {
    let best: LanguageSession | undefined;
    for (const session of this.#sessions.values())
      if (session.pathOf(uri) !== undefined && (!best || session.uris.rootDir.length > best.uris.rootDir.length))
        best = session;
    return best;
  }

  /** The session whose root holds `uri` at all (for a deleted folder, which is no registry file). */
  holding(uri: string): LanguageSession | undefined {
    return this.all.find((s) => s.uris.toPath(uri) !== undefined);
  }

  /** The workspace folders followed. */
  get folders(): string[] {
    return [...this.#folders];
  }

  /** Takes the workspace folders at start-up and starts a session for each registry among them. */
  open(folders: string[]): void {
    for (const folder of folders) this.#folders.push(path.resolve(folder));
    this.#arrange();
  }

  /** Folders added and removed at run time (`workspace/didChangeWorkspaceFolders`). */
  change(added: string[], removed: string[]): void {
    for (const folder of removed.map((f) => path.resolve(f))) {
      const at = this.#folders.indexOf(folder);
      if (at >= 0) this.#folders.splice(at, 1);
    }
    for (const folder of added) this.#folders.push(path.resolve(folder));
    this.#arrange();
  }

  /** Hands disk events to the registries holding them. */
  watched(events: FileEvent[]): void {
    for (const session of this.all) {
      const mine = events.filter((e) => session.uris.toPath(e.uri) !== undefined);
      if (mine.length > 0) void session.watched(mine);
    }
  }

  dispose(): void {
    for (const session of this.all) session.dispose();
  }

  #arrange(): void {
    const folder = this.options.schemaFolder ?? '.kiro/schemas';
    const withRegistry = this.#folders.filter((f) => existsSync(path.join(f, ...folder.split('/'))));
    const wanted = withRegistry.length > 0 ? withRegistry : this.#folders.slice(0, 1);
    for (const [root, session] of this.#sessions) {
      if (wanted.includes(root)) continue;
      this.#sessions.delete(root);
      session.dispose();
      session.clearAll();
    }
    for (const root of wanted) {
      if (this.#sessions.has(root)) continue;
      const session = new LanguageSession({ ...this.options, rootDir: root, progress: this.progressFor?.(root) });
      this.#sessions.set(root, session);
      void session.start();
    }
  }
}
