import type { DependencyGraph } from '../graph/graph.js';
import { byName } from '../graph/graph.js';
import { stronglyConnected } from '../graph/strongly-connected.js';
import type { Registry } from '../model.js';

/** Who depends on one schema, as the docs show it. */
export interface DependentsSummary {
  direct: string[];
  /** Indirect dependents, nearest first (by name within a distance), at most `limit` of them. */
  indirect: string[];
  /** How many indirect dependents there are; undefined when there are more than the search looked at. */
  indirectCount: number | undefined;
  /** Owner services of every schema that depends on this one, directly or not. */
  services: string[];
}

// How many dependents one schema's search visits at most: keeps a 10,000-long chain linear.
const MAX_VISITED = 200;

/**
 * Dependents of every schema at once, in time linear in the registry (times the number of services):
 * services flow from dependents to dependencies over the strongly connected components, and each schema's
 * list of dependents is a breadth-first search bounded by MAX_VISITED.
 */
export function dependentsSummaries(
  registry: Registry,
  graph: DependencyGraph,
  limit: number,
): (name: string) => DependentsSummary {
  const services = servicesByComponent(registry, graph);
  return (name) => {
    const layers = boundedLayers(graph, name);
    const indirect = layers.slice(1).flat();
    const complete = layers.flat().length < MAX_VISITED;
    return {
      direct: layers[0] ?? [],
      indirect: indirect.slice(0, limit),
      indirectCount: complete ? indirect.length : undefined,
      services: [...(services.get(name) ?? [])].sort(byName),
    };
  };
}

/** Dependents by distance (layer 0 = direct), each layer sorted by name, stopping after MAX_VISITED. */
function boundedLayers(graph: DependencyGraph, name: string): string[][] {
  const seen = new Set([name]);
  const layers: string[][] = [];
  let frontier = [name];
  let visited = 0;
  while (frontier.length > 0 && visited < MAX_VISITED) {
    const next: string[] = [];
    for (const node of frontier) {
      for (const dependent of graph.dependents(node)) {
        if (seen.has(dependent) || visited >= MAX_VISITED) continue;
        seen.add(dependent);
        next.push(dependent);
        visited++;
      }
    }
    if (next.length > 0) layers.push(next.sort(byName));
    frontier = next;
  }
  return layers;
}

/**
 * The owner services reaching each schema. Tarjan lists components dependencies-first, so walking the
 * list backwards meets every dependent component before the components it depends on.
 */
function servicesByComponent(registry: Registry, graph: DependencyGraph): Map<string, Set<string>> {
  const components = stronglyConnected(graph);
  const componentOf = new Map<string, number>();
  components.forEach((members, i) => members.forEach((member) => componentOf.set(member, i)));
  const byComponent: Set<string>[] = [];
  for (let i = components.length - 1; i >= 0; i--) {
    const found = new Set<string>();
    for (const member of components[i] ?? []) {
      for (const dependent of graph.dependents(member)) {
        const owner = registry.schemas.get(dependent)?.owner?.value;
        if (owner) found.add(owner);
        const other = componentOf.get(dependent);
        if (other !== undefined && other !== i) for (const service of byComponent[other] ?? []) found.add(service);
      }
    }
    byComponent[i] = found;
  }
  const result = new Map<string, Set<string>>();
  for (const [name, component] of componentOf) result.set(name, byComponent[component] ?? new Set());
  return result;
}
