import type { Registry } from '../model.js';
import type { DependencyGraph } from './graph.js';
import { buildGraph, byName } from './graph.js';

/** Who depends on a schema: the schemas referencing it directly or through others, and their owners. */
export interface Dependents {
  /** Every dependent schema, nearest first (direct ones, then by distance), ties by name. */
  schemas: { name: string; direct: boolean }[];
  /** The owner services of those schemas, sorted, each once. */
  services: string[];
}

/**
 * The schemas that reference `name` directly or transitively, and the services that own them: who must
 * hear about a change to `name`. Breadth-first and iterative; `name` itself is never its own dependent.
 * Pass the registry's graph when asking for many schemas, so it is built once.
 */
export function dependentsOf(
  registry: Registry,
  name: string,
  graph: DependencyGraph = buildGraph(registry),
): Dependents {
  const distance = new Map<string, number>([[name, 0]]);
  const queue = [name];
  for (let i = 0; i < queue.length; i++) {
    const current = queue[i] as string;
    for (const dependent of graph.dependents(current)) {
      if (distance.has(dependent)) continue;
      distance.set(dependent, (distance.get(current) ?? 0) + 1);
      queue.push(dependent);
    }
  }
  distance.delete(name);
  const schemas = [...distance]
    .sort(([a, da], [b, db]) => da - db || byName(a, b))
    .map(([schema, d]) => ({ name: schema, direct: d === 1 }));
  const services = new Set<string>();
  for (const { name: schema } of schemas) {
    const owner = registry.schemas.get(schema)?.owner?.value;
    if (owner) services.add(owner);
  }
  return { schemas, services: [...services].sort(byName) };
}
