import { checkCycles } from '../checks/check-cycles.js';
import { checkDuplicateSchemas } from '../checks/check-duplicate-schemas.js';
import { checkReferences } from '../checks/check-references.js';
import type { Diagnostic } from '../diagnostic.js';
import { buildGraph } from '../graph/graph.js';
import { sortDiagnostics } from '../make-diagnostic.js';
import type { Registry, Schema } from '../model.js';

/**
 * The diagnostics that need other files — duplicate-schema, unknown-schema, unknown-column,
 * fk-type-mismatch, reference-not-unique and cycle — for the given files (default: every file). The map
 * has an entry, possibly empty, for each of them, so callers can clear what became clean.
 */
export function crossFileDiagnostics(registry: Registry, files?: Iterable<string>): Map<string, Diagnostic[]> {
  const wanted = new Set(files ?? registry.files.keys());
  const result = new Map<string, Diagnostic[]>([...wanted].map((file) => [file, []]));
  // A file whose name another file also declares is not in `schemas`: check the schema it declares anyway.
  const schemas: Schema[] = [];
  for (const file of wanted) {
    const schema = registry.files.get(file)?.schema;
    if (schema) schemas.push(schema);
  }
  const found = [
    ...checkDuplicateSchemas(registry, wanted),
    ...checkReferences(registry, schemas),
    ...checkCycles(registry, buildGraph(registry), wanted),
  ];
  for (const diagnostic of found) result.get(diagnostic.file)?.push(diagnostic);
  for (const list of result.values()) sortDiagnostics(list);
  return result;
}
