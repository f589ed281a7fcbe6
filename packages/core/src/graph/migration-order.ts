import type { Registry } from '../model.js';
import { buildGraph, byName } from './graph.js';
import { MinHeap } from './min-heap.js';
import { stronglyConnected } from './strongly-connected.js';

/**
 * The order to create tables in: every schema after the schemas it references (Kahn's algorithm), ties
 * broken by name so the order never changes between runs. When only schemas caught in cycles are left, the
 * alphabetically first of them is created next, as if its references into the cycle were not there (they are
 * added once their tables exist: `orderPlan` lists them, `aegis migrate` defers them); the rest follow in
 * dependency order (the cycle itself is reported by validation).
 */
export function migrationOrder(registry: Registry): string[] {
  const graph = buildGraph(registry);
  const waiting = new Map(graph.nodes.map((name) => [name, graph.dependencies(name).length]));
  const cyclic = new MinHeap<string>(byName);
  for (const members of stronglyConnected(graph)) if (members.length > 1) for (const m of members) cyclic.push(m);
  const ready = new MinHeap<string>(byName);
  for (const [name, count] of waiting) if (count === 0) ready.push(name);
  const order: string[] = [];
  for (;;) {
    let name = ready.pop();
    // Stalled: every schema left waits on a cycle; break the cycle at its first waiting member.
    while (name === undefined && waiting.size > 0) {
      const next = cyclic.pop();
      if (next === undefined) break;
      if (waiting.has(next)) name = next;
    }
    if (name === undefined) break;
    order.push(name);
    waiting.delete(name);
    for (const dependent of graph.dependents(name)) {
      if (!waiting.has(dependent)) continue;
      const left = (waiting.get(dependent) ?? 0) - 1;
      waiting.set(dependent, left);
      if (left === 0) ready.push(dependent);
    }
  }
  return [...order, ...[...waiting.keys()].sort(byName)];
}
