import type { Registry } from '../model.js';
import { buildGraph } from '../graph/graph.js';

/** The schema and every schema within `depth` references of it, following references both ways. */
export function neighbourhood(registry: Registry, focus: string, depth: number): Set<string> {
  const graph = buildGraph(registry);
  const seen = new Set([focus]);
  let frontier = [focus];
  for (let level = 0; level < depth && frontier.length > 0; level++) {
    const next: string[] = [];
    for (const name of frontier) {
      for (const neighbour of [...graph.dependencies(name), ...graph.dependents(name)]) {
        if (seen.has(neighbour)) continue;
        seen.add(neighbour);
        next.push(neighbour);
      }
    }
    frontier = next;
  }
  return seen;
}
