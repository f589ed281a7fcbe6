/**
 * The one port through which core reads a registry. Disk folders, git refs, open editor buffers and the
 * bot's mirror are implementations of it at the edges; core never touches the file system itself.
 */
export interface FileSource {
  /**
   * Paths of every file in the registry folder, '/'-separated. The path is what diagnostics print as
   * `file`, so an implementation returns them as its users expect to see them (for example
   * `.kiro/schemas/users.yaml`). Core decides which of them are schema files.
   */
  list(): Promise<string[]>;
  /** The bytes of one listed file. Core decodes (UTF-8) and reports undecodable bytes itself. */
  read(path: string): Promise<Uint8Array>;
}

/** A `FileSource` over an in-memory map of path to text: tests, editor buffers, generated registries. */
export function memoryFileSource(files: ReadonlyMap<string, string> | Record<string, string>): FileSource {
  const map: ReadonlyMap<string, string> =
    files instanceof Map ? files : new Map(Object.entries(files as Record<string, string>));
  const encoder = new TextEncoder();
  return {
    list: async () => [...map.keys()],
    read: async (path) => {
      const text = map.get(path);
      if (text === undefined) throw new Error(`${path}: no such file in the registry`);
      return encoder.encode(text);
    },
  };
}
