import type { Diagnostic } from '../diagnostic.js';
import { sortDiagnostics } from '../make-diagnostic.js';
import type { Registry } from '../model.js';
import { crossFileDiagnostics } from './cross-file-diagnostics.js';

/**
 * Every diagnostic of a registry — what each file decided alone when loaded, plus the cross-file checks —
 * as one sorted list per file, with an entry (possibly empty) for every file.
 */
export function validateRegistry(registry: Registry): Map<string, Diagnostic[]> {
  const cross = crossFileDiagnostics(registry);
  const result = new Map<string, Diagnostic[]>();
  for (const [file, loaded] of registry.files) {
    result.set(file, sortDiagnostics([...loaded.diagnostics, ...(cross.get(file) ?? [])]));
  }
  return result;
}
