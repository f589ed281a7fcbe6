import type { Diagnostic, RelatedLocation } from '../diagnostic.js';
import { CyclePaths } from '../graph/cycle-paths.js';
import type { DependencyGraph } from '../graph/graph.js';
import { stronglyConnected } from '../graph/strongly-connected.js';
import { makeDiagnostic } from '../make-diagnostic.js';
import type { Reference, Registry, Schema } from '../model.js';

// Long cycles are shortened in messages; the related locations carry the rest.
const MAX_SHOWN = 12;

/**
 * cycle: foreign keys that lead back to where they started across two or more schemas. Every reference
 * that takes part is reported on its own line, with the whole path from its schema and back, and related
 * locations at the next references along the path. Self-references are fine.
 */
export function checkCycles(registry: Registry, graph: DependencyGraph, wanted: ReadonlySet<string>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const members of stronglyConnected(graph)) {
    if (members.length < 2) continue;
    const inside = new Set(members);
    const paths = new CyclePaths(graph, members);
    for (const name of members) {
      const schema = registry.schemas.get(name);
      if (!schema || !wanted.has(schema.file)) continue;
      for (const reference of schema.references) {
        const target = reference.schema.value;
        if (target === name || !inside.has(target)) continue;
        diagnostics.push(
          cycleDiagnostic(
            registry,
            schema,
            reference,
            paths.through(name, target, MAX_SHOWN),
            paths.length(name, target),
          ),
        );
      }
    }
  }
  return diagnostics;
}

function cycleDiagnostic(
  registry: Registry,
  schema: Schema,
  reference: Reference,
  head: string[],
  length: number,
): Diagnostic {
  return makeDiagnostic(
    'cycle',
    schema.file,
    reference.schema.range,
    `Foreign keys form a cycle: ${showPath(head, length)}`,
    {
      hint: 'Break the cycle: drop or make optional one of these references, or move the link into a join table.',
      related: relatedAlong(registry, head),
    },
  );
}

/** `a -> b -> c -> a`; a long cycle shows its start, how many schemas are left out, and its end. */
function showPath(head: string[], length: number): string {
  if (head.length >= length) return head.join(' -> ');
  const shown = head.slice(0, MAX_SHOWN - 1);
  return `${shown.join(' -> ')} -> … (${length - shown.length - 1} more) -> ${head[0] ?? ''}`;
}

/** The reference line of each later step of the path (a → b is found on a's `schema: b`). */
function relatedAlong(registry: Registry, path: string[]): RelatedLocation[] {
  const related: RelatedLocation[] = [];
  for (let i = 1; i + 1 < path.length && related.length < MAX_SHOWN; i++) {
    const from = registry.schemas.get(path[i] as string);
    const to = path[i + 1] as string;
    const reference = from?.references.find((r) => r.schema.value === to);
    if (from && reference)
      related.push({ file: from.file, range: reference.schema.range, message: `${from.name.value} -> ${to}` });
  }
  return related;
}
