import { CyclePaths } from './cycle-paths.js';
import type { DependencyGraph } from './graph.js';
import { byName } from './graph.js';
import { stronglyConnected } from './strongly-connected.js';

/**
 * One cycle for every group of schemas whose foreign keys reach each other (strongly connected, at least
 * two schemas; self-references are fine). Each cycle starts at its alphabetically first schema and lists
 * the path back to it, closed: `['a', 'b', 'c', 'a']`. Iterative and linear, sorted by first schema.
 */
export function findCycles(graph: DependencyGraph): string[][] {
  return stronglyConnected(graph)
    .filter((members) => members.length > 1)
    .map((members) => {
      const paths = new CyclePaths(graph, members);
      const inside = new Set(members);
      const next = graph.dependencies(paths.root).find((node) => inside.has(node)) as string;
      return paths.through(paths.root, next);
    })
    .sort((a, b) => byName(a[0] ?? '', b[0] ?? ''));
}
