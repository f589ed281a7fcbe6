import type { Diagnostic } from '@aegis/core';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import { DiagnosticMap } from './diagnostic-map.js';
import type { EncodingErrors } from './encoding-errors.js';
import type { FileUris } from './file-uri.js';
import { toLspDiagnostic } from './to-lsp-diagnostic.js';

/**
 * Sends files' diagnostics to the client: core's, with an open file's encoding error first, converted to LSP
 * once here, and only the lists that changed since they were last shown (see `DiagnosticMap`).
 */
export class SessionPublisher {
  readonly #shown = new DiagnosticMap();

  constructor(
    private readonly uris: FileUris,
    private readonly encoding: EncodingErrors,
    private readonly send: (uri: string, diagnostics: LspDiagnostic[]) => void,
  ) {}

  /** Publishes `file`'s `list` if it changed; `always` (the file just edited) is published regardless. */
  publish(file: string, list: readonly Diagnostic[], always: boolean): void {
    const encoding = this.encoding.of(file);
    const lsp = (encoding ? [encoding, ...list] : list).map((d) => toLspDiagnostic(d, this.uris));
    const uri = this.uris.toUri(file);
    if (this.#shown.update(uri, lsp) || always) this.send(uri, lsp);
  }

  /** The registry left the workspace: every file it showed something for is cleared. */
  clearAll(): void {
    for (const uri of this.#shown.shown()) {
      this.#shown.forget(uri);
      this.send(uri, []);
    }
  }
}
