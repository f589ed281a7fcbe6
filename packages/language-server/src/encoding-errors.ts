import { isUtf8 } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import { loadFile } from '@aegis/core';
import type { Diagnostic } from '@aegis/core';

/**
 * Open files whose bytes on disk are not UTF-8. The editor shows its own (converted) text, but the CLI reads
 * the bytes and reports `yaml-syntax`: the session shows that diagnostic beside the editor's.
 */
export class EncodingErrors {
  readonly #errors = new Map<string, Diagnostic>();

  /** Reads `file`'s bytes at `absolute` and notes (or clears) its encoding error. */
  async check(file: string, absolute: string): Promise<void> {
    const bytes = await readFile(absolute).catch(() => undefined);
    const error = bytes && !isUtf8(bytes) ? loadFile(file, bytes).diagnostics[0] : undefined;
    if (error) this.#errors.set(file, error);
    else this.#errors.delete(file);
  }

  /** The encoding error of `file`, if its bytes were not UTF-8 when last checked. */
  of(file: string): Diagnostic | undefined {
    return this.#errors.get(file);
  }

  /** The file was closed: the disk's text counts again, and is loaded as it is. */
  forget(file: string): void {
    this.#errors.delete(file);
  }
}
