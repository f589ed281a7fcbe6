import { loadFile } from '@aegis/core';
import type { LoadedFile, YamlParser } from '@aegis/core';

// Read once, here: worker threads get the same environment. `yaml-only` is the reference reading (bench/lsp
// compares the two) and a way out should the subset reader ever misread a file.
const parser: YamlParser = process.env.AEGIS_YAML_PARSER === 'yaml-only' ? 'yaml-only' : 'subset-first';

/** Core's `loadFile` with the YAML parser this server was started with (`AEGIS_YAML_PARSER`). */
export function loadEntry(file: string, content: Uint8Array | string): LoadedFile {
  return loadFile(file, content, undefined, parser);
}
