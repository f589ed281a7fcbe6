import type { Diagnostic } from 'vscode-languageserver';

/**
 * What each file last showed, so the server publishes only lists that changed. Every file starts with an
 * empty list: a file that was never published and is clean costs nothing, and a file fixed by an edit
 * elsewhere differs from its last list and is cleared (after prisma/language-tools' DiagnosticMap).
 */
export class DiagnosticMap {
  readonly #shown = new Map<string, string>();

  /** Records `diagnostics` for `uri`; returns true when they differ from what was last shown. */
  update(uri: string, diagnostics: readonly Diagnostic[]): boolean {
    const key = diagnostics.length === 0 ? '' : JSON.stringify(diagnostics);
    if ((this.#shown.get(uri) ?? '') === key) return false;
    if (key === '') this.#shown.delete(uri);
    else this.#shown.set(uri, key);
    return true;
  }

  /** Forgets a file (deleted): the caller publishes its empty list once. */
  forget(uri: string): boolean {
    return this.#shown.delete(uri);
  }

  /** The URIs currently showing something. */
  shown(): string[] {
    return [...this.#shown.keys()];
  }
}
