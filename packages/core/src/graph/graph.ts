import type { Registry } from '../model.js';

/** Which schema references which: edges point from a schema to the schemas its foreign keys reference. */
export interface DependencyGraph {
  /** Every schema name, sorted. */
  nodes: string[];
  /** The schemas `name` references (sorted, no duplicates, no self-reference, only schemas that exist). */
  dependencies(name: string): string[];
  /** The schemas that reference `name` (sorted, no duplicates, no self-reference). */
  dependents(name: string): string[];
}

/**
 * The dependency graph of a registry, built in one pass over the references. Self-references and
 * references to unknown schemas order nothing, so they are left out (other checks report the latter).
 */
export function buildGraph(registry: Registry): DependencyGraph {
  const forward = new Map<string, Set<string>>();
  const backward = new Map<string, Set<string>>();
  for (const name of registry.schemas.keys()) {
    forward.set(name, new Set());
    backward.set(name, new Set());
  }
  for (const [name, schema] of registry.schemas) {
    for (const reference of schema.references) {
      const target = reference.schema.value;
      if (target === name || !registry.schemas.has(target)) continue;
      forward.get(name)?.add(target);
      backward.get(target)?.add(name);
    }
  }
  const sortedLists = (edges: Map<string, Set<string>>): Map<string, string[]> =>
    new Map([...edges].map(([name, set]) => [name, [...set].sort(byName)]));
  const dependencies = sortedLists(forward);
  const dependents = sortedLists(backward);
  return {
    nodes: [...registry.schemas.keys()].sort(byName),
    dependencies: (name) => dependencies.get(name) ?? [],
    dependents: (name) => dependents.get(name) ?? [],
  };
}

/** Plain code-unit order: the same on every machine and locale. */
export function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
