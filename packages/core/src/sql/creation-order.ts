import { byName } from '../graph/graph.js';
import { MinHeap } from '../graph/min-heap.js';
import type { Schema } from '../model.js';

/**
 * The order to create tables in: referenced tables first, ties by name. Where foreign keys form a cycle,
 * the smallest name still waiting goes next, and its foreign keys to tables not yet created are added
 * afterwards with ALTER TABLE (the caller decides that from the positions). References to schemas outside
 * `schemas` are ignored.
 */
export function creationOrder(schemas: Iterable<Schema>): string[] {
  const bySchema = new Map<string, Schema>();
  for (const schema of schemas) bySchema.set(schema.name.value, schema);
  const waitingOn = new Map<string, Set<string>>();
  const dependents = new Map<string, string[]>();
  for (const [name, schema] of bySchema) {
    const targets = new Set(schema.references.map((r) => r.schema.value).filter((t) => t !== name && bySchema.has(t)));
    waitingOn.set(name, targets);
    for (const target of targets) {
      const list = dependents.get(target);
      if (list) list.push(name);
      else dependents.set(target, [name]);
    }
  }
  const ready = new MinHeap<string>(byName);
  for (const [name, targets] of waitingOn) if (targets.size === 0) ready.push(name);
  const order: string[] = [];
  const done = new Set<string>();
  const remaining = [...bySchema.keys()].sort(byName);
  let cursor = 0;
  while (order.length < bySchema.size) {
    let next = ready.pop();
    if (next === undefined) {
      // A cycle: break it at the smallest name not yet placed.
      while (cursor < remaining.length && done.has(remaining[cursor] ?? '')) cursor++;
      next = remaining[cursor];
      if (next === undefined) break;
    }
    if (done.has(next)) continue;
    done.add(next);
    order.push(next);
    for (const dependent of dependents.get(next) ?? []) {
      const targets = waitingOn.get(dependent);
      if (!targets?.delete(next) || done.has(dependent)) continue;
      if (targets.size === 0) ready.push(dependent);
    }
  }
  return order;
}
