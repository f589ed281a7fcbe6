import type { Registry } from '../model.js';
import { buildGraph, byName } from './graph.js';
import { MinHeap } from './min-heap.js';

/**
 * The order to create tables in: every schema after the schemas it references (Kahn's algorithm), ties
 * broken by name so the order never changes between runs. Schemas caught in a cycle cannot be ordered;
 * they come last, by name (the cycle itself is reported by validation).
 */
export function migrationOrder(registry: Registry): string[] {
  const graph = buildGraph(registry);
  const waiting = new Map(graph.nodes.map((name) => [name, graph.dependencies(name).length]));
  const ready = new MinHeap<string>(byName);
  for (const [name, count] of waiting) if (count === 0) ready.push(name);
  const order: string[] = [];
  for (let name = ready.pop(); name !== undefined; name = ready.pop()) {
    order.push(name);
    waiting.delete(name);
    for (const dependent of graph.dependents(name)) {
      const left = (waiting.get(dependent) ?? 0) - 1;
      waiting.set(dependent, left);
      if (left === 0) ready.push(dependent);
    }
  }
  return [...order, ...[...waiting.keys()].sort(byName)];
}
