import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

/**
 * Converts between LSP document URIs and the registry paths core sees (`.kiro/schemas/users.yaml`,
 * '/'-separated, relative to the workspace root), once, at the edge.
 */
export class FileUris {
  readonly #root: string;
  /** The URI each path was last seen with, so answers use the client's own spelling of it. */
  readonly #seen = new Map<string, string>();

  constructor(rootDir: string) {
    this.#root = path.resolve(rootDir);
  }

  get rootDir(): string {
    return this.#root;
  }

  /** The registry path of a `file:` URI inside the root, or undefined for anything else. */
  toPath(uri: string): string | undefined {
    if (!uri.startsWith('file:')) return undefined;
    let absolute: string;
    try {
      absolute = fileURLToPath(uri);
    } catch {
      return undefined;
    }
    const relative = path.relative(this.#root, absolute);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
    const result = relative.split(path.sep).join('/');
    this.#seen.set(result, uri);
    return result;
  }

  /** The URI of a registry path. */
  toUri(file: string): string {
    return this.#seen.get(file) ?? pathToFileURL(this.toAbsolute(file)).href;
  }

  /** The absolute file-system path of a registry path. */
  toAbsolute(file: string): string {
    return path.join(this.#root, ...file.split('/'));
  }
}
