import type { Registry } from '../model.js';
import type { DependencyGraph } from './graph.js';
import { buildGraph, byName } from './graph.js';

/** The first dependents of one schema, nearest first, and whether the walk stopped before seeing them all. */
export interface NearestDependents {
  schemas: { name: string; direct: boolean }[];
  /** True when more dependents exist beyond `schemas` (the walk stopped at the limit). */
  more: boolean;
}

/** Everything that depends on a set of schemas, found in one walk. */
export interface AffectedSchemas {
  /** How many schemas outside the set reference one of its members, directly or transitively. */
  count: number;
  /** Their owner services, sorted, each once. */
  services: string[];
}

/**
 * Dependents for many schemas over one graph, built once: what a pull request changing thousands of files
 * needs. `nearest` walks only as far as its limit (so asking for every changed schema stays linear in what
 * is shown), and `affected` finds the dependents of a whole set in one breadth-first walk (linear in the
 * registry), instead of one walk per schema.
 */
export class DependentsIndex {
  readonly graph: DependencyGraph;

  constructor(
    private readonly registry: Registry,
    graph: DependencyGraph = buildGraph(registry),
  ) {
    this.graph = graph;
  }

  /** Up to `limit` dependents of `name`, nearest first (direct ones, then by distance), ties by name. */
  nearest(name: string, limit: number): NearestDependents {
    const found: { name: string; direct: boolean }[] = [];
    const seen = new Set([name]);
    let level = [name];
    for (let depth = 1; level.length > 0; depth++) {
      const next = new Set<string>();
      for (const node of level)
        for (const dependent of this.graph.dependents(node)) if (!seen.has(dependent)) next.add(dependent);
      const sorted = [...next].sort(byName);
      for (const dependent of sorted) {
        if (found.length === limit) return { schemas: found, more: true };
        seen.add(dependent);
        found.push({ name: dependent, direct: depth === 1 });
      }
      level = sorted;
    }
    return { schemas: found, more: false };
  }

  /** The schemas outside `names` that depend on any of them, and their owners: one walk for the whole set. */
  affected(names: Iterable<string>): AffectedSchemas {
    const start = new Set(names);
    const seen = new Set(start);
    const queue = [...start];
    const services = new Set<string>();
    let count = 0;
    for (let i = 0; i < queue.length; i++) {
      for (const dependent of this.graph.dependents(queue[i] as string)) {
        if (seen.has(dependent)) continue;
        seen.add(dependent);
        queue.push(dependent);
        count += 1;
        const owner = this.registry.schemas.get(dependent)?.owner?.value;
        if (owner) services.add(owner);
      }
    }
    return { count, services: [...services].sort(byName) };
  }
}
